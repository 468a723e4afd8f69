import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The preview's HTTP/1.1 on 127.0.0.1: GET and HEAD, one request per connection (`Connection:
/// close`), a thread per connection, and responses that are either bytes or a stream of events.
///
/// Written here rather than taken from FlyingFox, which `serve` used first: FlyingFox imports
/// FoundationNetworking (for a proxy handler we never use), which links libcurl and the thirty TLS,
/// Kerberos and IDN libraries behind it into the binary, and loading and starting those cost every
/// command, `build` included, ~5 ms before `main` — 2.5% of a 2,000-material build (docs/benchmarks.md).
/// The preview needs little of HTTP: files held in memory, and one long-lived event stream per open
/// page, on the loopback interface only.
final class LoopbackHTTPServer: Sendable {
    struct Request: Sendable {
        var method: String
        /// The request target's path as sent (still percent-encoded), without its query.
        var path: String
    }

    /// The names a `Host` header may give: a page served under any other name (a site whose name an
    /// attacker pointed at 127.0.0.1, "DNS rebinding") could otherwise read the preview, the internal
    /// profile's ledgers included. A request without `Host` (HTTP/1.0) is answered.
    static let hostNames: Set<String> = ["127.0.0.1", "localhost", "[::1]"]

    struct Response: Sendable {
        enum Body: Sendable {
            case bytes(Data)
            /// Sent as it comes, until the channel is finished or the client goes.
            case events(EventChannel)
        }
        var status: Int
        var headers: [(String, String)] = []
        var body: Body = .bytes(Data())
    }

    struct ListenError: LocalizedError {
        var message: String
        var errorDescription: String? { message }
    }

    private let listener: Int32
    private let state = Mutex(State())
    private struct State {
        var stopped = false
        var connections = 0
    }

    /// At most this many connections at once (each open page holds one for its event stream); more
    /// are closed at once.
    static let maxConnections = 256
    /// The largest request head read: a browser's is under 2 KB.
    static let maxHead = 16 * 1024

    /// Listens on 127.0.0.1:`port`; throws when the port cannot be had.
    init(port: UInt16) throws(ListenError) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw ListenError(message: String(cString: strerror(errno))) }
        var yes: Int32 = 1
        // Lets a restarted server take the port while the last one's connections linger (TIME_WAIT);
        // on Linux it does not let two servers listen on one port.
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 128) == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw ListenError(message: message)
        }
        listener = fd
    }

    /// Accepts connections until `stop`, answering each on a thread of its own with `handler`; closes
    /// the listening socket when it returns (here, so that no `accept` can see its number reused).
    func serve(_ handler: @escaping @Sendable (Request) -> Response) {
        defer { close(listener) }
        while true {
            let fd = accept(listener, nil, nil)
            if fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }   // (Glibc does not show `accept4`)
            if fd < 0 {
                if state.withLock({ $0.stopped }) { return }
                if errno == EMFILE || errno == ENFILE || errno == ENOMEM || errno == ENOBUFS { usleep(10_000) }
                continue
            }
            let admitted = state.withLock { s -> Bool? in
                if s.stopped { return nil }
                guard s.connections < Self.maxConnections else { return false }
                s.connections += 1
                return true
            }
            guard let admitted else { close(fd); return }
            guard admitted else { close(fd); continue }
            Thread.detachNewThread { [self] in
                answer(fd, handler)
                Self.finish(fd)
                state.withLock { $0.connections -= 1 }
            }
        }
    }

    /// Stops accepting: `serve` returns. Connections being answered finish on their own.
    func stop() {
        let first = state.withLock { s -> Bool in
            defer { s.stopped = true }
            return !s.stopped
        }
        if first { shutdown(listener, Int32(SHUT_RDWR)) }   // wakes the blocked accept
    }

    /// Ends a connection so that what was written arrives: a socket closed with unread input sends a
    /// reset, which may discard the response (a refused head larger than `maxHead`, a request with a
    /// body). The input is read and dropped for a moment first.
    static func finish(_ fd: Int32) {
        shutdown(fd, Int32(SHUT_WR))
        var timeout = timeval(tv_sec: 0, tv_usec: 200_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 4096)
        for _ in 0..<64 where recv(fd, &buffer, buffer.count, 0) > 0 {}
        close(fd)
    }

    /// Reads one request from `fd` and writes its response.
    private func answer(_ fd: Int32, _ handler: (Request) -> Response) {
        // A client that reads nothing cannot hold the thread for long (nor one that sends its
        // request slowly: `readHead` has a deadline of its own).
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        guard let head = Self.readHead(fd, within: 10) else {
            Self.send(fd, Self.head(Response(status: 431), length: 0))
            return
        }
        if head.isEmpty { return }   // closed, or quiet, before a whole request came
        guard let request = Self.parse(head) else {
            Self.send(fd, Self.head(Response(status: 400), length: 0))
            return
        }
        guard Self.hostIsOurs(head) else {
            Self.send(fd, Self.head(Response(status: 421), length: 0))
            return
        }
        let response = handler(request)
        switch response.body {
        case .bytes(let data):
            // HEAD: the headers GET would have, without the body.
            var out = Self.head(response, length: data.count)
            if request.method != "HEAD" { out += data }
            Self.send(fd, out)
        case .events(let channel):
            guard Self.send(fd, Self.head(response, length: nil)), request.method != "HEAD" else { channel.finish(); return }
            while let chunk = channel.next() {
                guard Self.send(fd, chunk) else { break }
            }
            channel.finish()
        }
    }

    /// The request's head (up to the blank line, CRLF or bare LF), or nil when it is larger than
    /// `maxHead`; an empty result when the client closed first, or had not sent it all `within`
    /// seconds.
    static func readHead(_ fd: Int32, within seconds: Double) -> Data? {
        var head = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        while head.range(of: Data("\r\n\r\n".utf8)) == nil && head.range(of: Data("\n\n".utf8)) == nil {
            guard head.count < maxHead else { return nil }
            let now = DispatchTime.now().uptimeNanoseconds
            guard now < deadline else { return Data() }
            var timeout = timeval(tv_sec: Int((deadline - now) / 1_000_000_000), tv_usec: Int((deadline - now) % 1_000_000_000 / 1000))
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let n = recv(fd, &buffer, buffer.count, 0)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return Data() }
            head.append(contentsOf: buffer[0..<n])
        }
        return head
    }

    /// Whether the head's `Host` header, if it has one, names this machine (`hostNames`, any port).
    static func hostIsOurs(_ head: Data) -> Bool {
        for line in head.split(separator: UInt8(ascii: "\n")).dropFirst() {
            guard let text = String(bytes: line, encoding: .utf8), let colon = text.firstIndex(of: ":"),
                  text[..<colon].lowercased() == "host" else { continue }
            var host = text[text.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
            if let portColon = host.lastIndex(of: ":"), !host.hasSuffix("]"), host[host.index(after: portColon)...].allSatisfy(\.isNumber) {
                host = String(host[..<portColon])
            }
            return hostNames.contains(host.lowercased())
        }
        return true
    }

    /// The request line of a head: `METHOD /path?query HTTP/1.x`; nil when it is not one.
    static func parse(_ head: Data) -> Request? {
        guard let lineEnd = head.firstIndex(where: { $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }) else { return nil }
        let parts = head[head.startIndex..<lineEnd].split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3, let method = String(bytes: parts[0], encoding: .ascii), !method.isEmpty,
              method.utf8.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }),
              let target = String(bytes: parts[1], encoding: .ascii), target.hasPrefix("/"),
              target.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }),
              let version = String(bytes: parts[2], encoding: .ascii), version == "HTTP/1.1" || version == "HTTP/1.0" else { return nil }
        let path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? target
        return Request(method: method, path: path)
    }

    /// The status line and headers; `length` nil for a stream (its end is the connection's).
    static func head(_ response: Response, length: Int?) -> Data {
        var text = "HTTP/1.1 \(response.status) \(reason(response.status))\r\n"
        for (name, value) in response.headers { text += "\(name): \(value)\r\n" }
        if let length { text += "Content-Length: \(length)\r\n" }
        text += "Connection: close\r\n\r\n"
        return Data(text.utf8)
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 200: return "OK"
        case 301: return "Moved Permanently"
        case 307: return "Temporary Redirect"
        case 400: return "Bad Request"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 421: return "Misdirected Request"
        case 431: return "Request Header Fields Too Large"
        case 503: return "Service Unavailable"
        default: return "Status \(status)"
        }
    }

    /// Writes all of `data`; false when the client has gone (no SIGPIPE: `MSG_NOSIGNAL`).
    @discardableResult
    static func send(_ fd: Int32, _ data: Data) -> Bool {
        data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count, let base = bytes.baseAddress {
                let n = Glibc.send(fd, base + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return false }
                offset += n
            }
            return true
        }
    }
}

/// Events for one open page (Server-Sent Events), handed from whoever announces them to the thread
/// writing them out: `next` blocks until there is one, and gives a keep-alive comment after
/// `keepAlive` seconds of quiet so that nothing between closes the idle connection.
final class EventChannel: Sendable {
    private let state = Mutex(State())
    private let signal = DispatchSemaphore(value: 0)
    private struct State {
        var pending: [Data] = []
        var finished = false
    }
    let keepAlive: Double

    init(keepAlive: Double = 15) { self.keepAlive = keepAlive }

    /// Queues `data` (the newest eight are kept if the reader falls behind).
    func send(_ data: Data) {
        let queued = state.withLock { s -> Bool in
            guard !s.finished else { return false }
            s.pending.append(data)
            if s.pending.count > 8 { s.pending.removeFirst() } else { return true }
            return false
        }
        if queued { signal.signal() }
    }

    /// Ends the stream: `next` returns nil from now on.
    func finish() {
        let first = state.withLock { s -> Bool in
            defer { s.finished = true }
            return !s.finished
        }
        if first { signal.signal() }
    }

    var isFinished: Bool { state.withLock { $0.finished } }

    /// The next chunk to write, a keep-alive comment after a quiet spell, or nil once finished.
    func next() -> Data? {
        while true {
            let item = state.withLock { s -> Data?? in
                if s.finished { return .some(nil) }
                return s.pending.isEmpty ? nil : .some(s.pending.removeFirst())
            }
            if let item { return item }
            if signal.wait(timeout: .now() + keepAlive) == .timedOut { return Data(": keep-alive\n\n".utf8) }
        }
    }
}
