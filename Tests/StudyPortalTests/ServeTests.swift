import Foundation
import Testing
@testable import StudyPortal

/// `studyportal serve` as a separate process, talked to over loopback with a plain socket client.
@Suite(.serialized, .temporaryFiles) struct ServeTests {
    /// A socket connected to 127.0.0.1:`port` whose reads give up after `receiveTimeout`, or nil.
    static func connected(_ port: UInt16, receiveTimeout: timeval) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        guard result == 0 else { close(fd); return nil }
        var tv = receiveTimeout
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    /// A minimal HTTP/1.1 client: one request, reads until the peer closes, `until` is seen, or `timeout`.
    static func http(_ port: UInt16, _ path: String, until: String? = nil, timeout: Double = 5,
                     midway: (marker: String, action: () -> Void)? = nil) -> (status: Int, body: String) {
        guard let fd = connected(port, receiveTimeout: timeval(tv_sec: 0, tv_usec: 200_000)) else { return (0, "") }
        defer { close(fd) }
        let request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        var data = Data()
        let deadline = Date().addingTimeInterval(timeout)
        var buffer = [UInt8](repeating: 0, count: 65536)
        var midway = midway
        while Date() < deadline {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n > 0 { data.append(contentsOf: buffer[0..<n]) } else if n == 0 { break }
            // Once `marker` has arrived, do `action` (e.g. edit a file) and keep reading.
            if let m = midway, String(decoding: data, as: UTF8.self).contains(m.marker) { midway = nil; m.action() }
            if let until, midway == nil, String(decoding: data, as: UTF8.self).contains(until) { break }
        }
        let text = String(decoding: data, as: UTF8.self)
        let status = Int(text.split(separator: " ", maxSplits: 2).dropFirst().first ?? "") ?? 0
        return (status, text)
    }

    static func freePort() -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return UInt16(bigEndian: address.sin_port)
    }

    static func start(_ root: String, port: UInt16, base: String = "/") throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: studyportalBinary)
        process.arguments = ["serve", root, "--port", String(port), "--base-url", base]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Up to 60 s for the first build (slow under sanitizers), then on.
        for _ in 0..<600 {
            if http(port, base, timeout: 0.3).status != 0 { break }
            usleep(100_000)
        }
        return process
    }

    /// Polls until `check` holds (a rebuild is asynchronous), up to five seconds.
    static func eventually(_ check: () -> Bool) -> Bool {
        for _ in 0..<50 { if check() { return true }; usleep(100_000) }
        return check()
    }

    @Test func editsAreServedFreshAnnouncedAndErrorsShowAndRecover() async throws {
        let root = try makeSite(["content/materials/a.md": material("甲", "最初的正文。")])
        let port = Self.freePort()
        let server = try Self.start(root, port: port, base: "/portal/")
        defer { server.terminate(); server.waitUntilExit() }

        let first = Self.http(port, "/portal/materials/a/")
        #expect(first.status == 200)
        #expect(first.body.contains("最初的正文"))
        #expect(first.body.contains("Content-Type: text/html; charset=utf-8"))
        #expect(first.body.contains("EventSource(\"/portal/__studyportal/events\")"))

        // The event stream announces the rebuild that an edit causes (the edit made once it is connected).
        let events = Self.http(port, "/portal/__studyportal/events", until: "event: reload", timeout: 10,
                               midway: (": connected", { try? write(material("甲", "修改后的正文。"), to: root + "/content/materials/a.md") }))
        #expect(events.body.contains("Content-Type: text/event-stream"))
        #expect(events.body.contains("event: reload"))
        #expect(Self.eventually { Self.http(port, "/portal/materials/a/").body.contains("修改后的正文") })
        // A body edit re-renders the page and the lists showing its first paragraph at once, and the
        // search index (rebuilt in the background) follows.
        #expect(Self.http(port, "/portal/materials/").body.contains("修改后的正文"))
        #expect(Self.eventually { Self.http(port, "/portal/search/d/0.json").body.contains("修改后的正文") })

        // A broken front matter: the last good page, with the error over it; fixed, the overlay goes.
        try write("---\ntitle: [坏\n---\n", to: root + "/content/materials/a.md")
        #expect(Self.eventually { Self.http(port, "/portal/materials/a/").body.contains("studyportal-errors") })
        #expect(Self.http(port, "/portal/materials/a/").body.contains("content/materials/a.md:"))
        try write(material("甲", "恢复了。"), to: root + "/content/materials/a.md")
        #expect(Self.eventually { let b = Self.http(port, "/portal/materials/a/").body; return b.contains("恢复了") && !b.contains("studyportal-errors") })

        // A new folder is watched as it appears.
        try write(material("乙", "新文件夹里的资料。"), to: root + "/content/materials/sub/b.md")
        #expect(Self.eventually { Self.http(port, "/portal/materials/b/").status == 200 })
    }

    @Test func pathsCannotLeaveTheSite() async throws {
        let root = try makeSite(["content/materials/a.md": material("甲"), "content/files/x.txt": "x"])
        try write("secret", to: root + "/secret.txt")
        let port = Self.freePort()
        let server = try Self.start(root, port: port)
        defer { server.terminate(); server.waitUntilExit() }
        #expect(Self.http(port, "/files/x.txt").status == 200)
        #expect(Self.http(port, "/files/x.txt").body.contains("Content-Type: text/plain; charset=utf-8"))
        for path in ["/../secret.txt", "/%2e%2e/secret.txt", "/files/%2e%2e/%2e%2e/secret.txt", "//etc/passwd", "/files/..%2f..%2fsecret.txt", "/site.yml", "/content/files/x.txt"] {
            let response = Self.http(port, path)
            #expect(response.status == 400 || response.status == 404, "\(path): \(response.status)")
            #expect(!response.body.contains("secret") && !response.body.contains("root:"), "\(path)")
        }
        let missing = Self.http(port, "/nothing/here/")
        #expect(missing.status == 404)
        #expect(missing.body.contains("页面不存在"))   // the site's own 404 page
        #expect(Self.http(port, "/materials/a").status == 301)
    }

    @Test func aTakenPortIsAClearErrorAndSIGTERMStopsCleanly() async throws {
        let root = try makeSite(["content/materials/a.md": material("甲")])
        let port = Self.freePort()
        let first = try Self.start(root, port: port)
        #expect(Self.http(port, "/").status == 200)
        // The second one must give up, not serve: killed after 60 s if it does not.
        let second = Process()
        second.executableURL = URL(fileURLWithPath: studyportalBinary)
        second.arguments = ["serve", root, "--port", String(port)]
        // A file, not a pipe: a pipe nobody reads fills up and blocks a process with much to say.
        let errPath = temporaryPath("serve") + ".err"
        FileManager.default.createFile(atPath: errPath, contents: nil)
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        second.standardError = err
        second.standardOutput = FileHandle.nullDevice
        try second.run()
        for _ in 0..<600 where second.isRunning { usleep(100_000) }
        if second.isRunning { second.terminate(); Issue.record("a second server on a taken port kept running") }
        second.waitUntilExit()
        #expect(second.terminationStatus == 1)
        #expect(read(errPath).contains("cannot listen on 127.0.0.1:\(port)"))
        kill(first.processIdentifier, SIGTERM)
        first.waitUntilExit()
        #expect(first.terminationReason == .exit && first.terminationStatus == 0)
    }

    /// Sends `raw` as it is and reads until the server closes the connection.
    static func exchange(_ port: UInt16, _ raw: [UInt8]) -> String {
        guard let fd = connected(port, receiveTimeout: timeval(tv_sec: 5, tv_usec: 0)) else { return "" }
        defer { close(fd) }
        _ = raw.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        shutdown(fd, Int32(SHUT_WR))
        var data = [UInt8](), buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n > 0 else { break }
            data += buffer[0..<n]
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// The preview's own HTTP, in process: GET and HEAD with lengths, the query left out of the path,
    /// and requests that are not HTTP, or too large, refused; one connection per request.
    @Test func theLoopbackServerSpeaksPlainHTTP() throws {
        let port = Self.freePort()
        let server = try LoopbackHTTPServer(port: port)
        Thread.detachNewThread {
            server.serve { request in
                .init(status: 200, headers: [("Content-Type", "text/plain; charset=utf-8")], body: .bytes(Data("\(request.method) \(request.path)".utf8)))
            }
        }
        defer { server.stop() }
        let get = Self.exchange(port, Array("GET /a%20b/?x=1 HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n".utf8))
        #expect(get.hasPrefix("HTTP/1.1 200 OK\r\n") && get.contains("Content-Length: 11\r\n") && get.contains("Connection: close\r\n"))
        #expect(get.hasSuffix("\r\n\r\nGET /a%20b/"))
        let head = Self.exchange(port, Array("HEAD /x HTTP/1.0\r\n\r\n".utf8))
        #expect(head.contains("Content-Length: 7\r\n") && head.hasSuffix("\r\n\r\n"), "\(head)")
        for bad in ["GET x HTTP/1.1", "GET /x HTTP/2", "get /x HTTP/1.1", "GET /x  HTTP/1.1", "GET /\u{1}x HTTP/1.1"] {
            #expect(Self.exchange(port, Array((bad + "\r\n\r\n").utf8)).hasPrefix("HTTP/1.1 400 "), "\(bad)")
        }
        let huge = Self.exchange(port, Array(("GET /x HTTP/1.1\r\nX: " + String(repeating: "a", count: 20_000) + "\r\n\r\n").utf8))
        #expect(huge.hasPrefix("HTTP/1.1 431 "))
        // Bare line feeds are read as line ends; a Host naming another machine (a rebound name) is refused.
        #expect(Self.exchange(port, Array("GET /lf HTTP/1.1\nHost: localhost:\(port)\n\n".utf8)).hasSuffix("GET /lf"))
        #expect(Self.exchange(port, Array("GET /v6 HTTP/1.1\r\nhost: [::1]:\(port)\r\n\r\n".utf8)).hasSuffix("GET /v6"))
        for host in ["evil.example", "evil.example:\(port)", "127.0.0.1.evil.example", "localhost.evil:80"] {
            #expect(Self.exchange(port, Array("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n".utf8)).hasPrefix("HTTP/1.1 421 "), "\(host)")
        }
        // A client that leaves without a request is let go without an answer.
        #expect(Self.exchange(port, []).isEmpty)
        #expect(Self.exchange(port, Array("GET / HTTP/1.1\r\n\r\n".utf8)).hasSuffix("GET /"))
    }

    /// A page's events come in order, the newest eight if its reader falls behind, a keep-alive
    /// comment after a quiet spell, and nothing once finished.
    @Test func eventChannelsKeepOrderAndKeepAlive() {
        let channel = EventChannel(keepAlive: 0.05)
        for k in 0..<10 { channel.send(Data("\(k)".utf8)) }
        var got: [String] = []
        for _ in 0..<8 { got.append(String(decoding: channel.next() ?? Data(), as: UTF8.self)) }
        #expect(got == (2..<10).map(String.init))
        #expect(channel.next() == Data(": keep-alive\n\n".utf8))
        channel.send(Data("a".utf8))
        #expect(channel.next() == Data("a".utf8))
        channel.finish()
        channel.send(Data("b".utf8))
        #expect(channel.next() == nil && channel.isFinished)
    }

    /// A request sent a byte at a time cannot hold its thread past the head's deadline, however
    /// often the bytes come.
    @Test func aRequestDribbledInIsGivenUpAtItsDeadline() {
        var fds: [Int32] = [0, 0]
        #expect(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        let writer = fds[1]
        Thread.detachNewThread {
            for _ in 0..<40 {
                var byte: UInt8 = 0x47   // G, forever
                guard send(writer, &byte, 1, Int32(MSG_NOSIGNAL)) == 1 else { return }
                usleep(20_000)
            }
        }
        let started = Date()
        let head = LoopbackHTTPServer.readHead(fds[0], within: 0.3)
        #expect(head?.isEmpty == true)
        #expect(Date().timeIntervalSince(started) < 0.75)   // without the deadline: ~1.1 s
    }
}
