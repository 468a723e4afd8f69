import Synchronization

/// Maps `items` on every core with structured concurrency, keeping the input order in the result.
/// One task per core takes small batches from a shared counter until none are left: a task per item
/// would cost more than most items, and fixed chunks left a core idle for the last chunk of a run of
/// heavy items (2,000 member ledgers come together: 0.25 s of a 1.7 s stage at 10,000 materials).
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], jobs: Int,
                                           _ transform: @escaping @Sendable (T) -> R) async -> [R] {
    await parallelMap(items, jobs: jobs, local: { () }) { _, item in transform(item) }
}

/// `parallelMap` with a value each task owns, made by `local` before the task's first item and
/// passed to every item it takes (scratch buffers used item after item), gone when the map returns.
func parallelMap<T: Sendable, R: Sendable, Local>(_ items: [T], jobs: Int, local: @escaping @Sendable () -> Local,
                                                  _ transform: @escaping @Sendable (inout Local, T) -> R) async -> [R] {
    guard items.count > 1, jobs > 1 else {
        var state = local()
        return items.map { transform(&state, $0) }
    }
    let batch = min(32, max(1, items.count / (jobs * 256)))
    let next = BatchCounter()
    return await withTaskGroup(of: [(Int, [R])].self) { group in
        for _ in 0..<min(jobs, items.count) {
            group.addTask {
                var state = local()
                var done: [(Int, [R])] = []
                while true {
                    let start = next.take(batch)
                    guard start < items.count else { return done }
                    done.append((start, items[start..<min(start + batch, items.count)].map { transform(&state, $0) }))
                }
            }
        }
        var batches: [(Int, [R])] = []
        batches.reserveCapacity(items.count / batch + 1)
        for await some in group { batches += some }
        batches.sort { $0.0 < $1.0 }
        var out: [R] = []
        out.reserveCapacity(items.count)
        for (_, results) in batches { out += results }
        return out
    }
}

/// The next unclaimed index, shared by a `parallelMap`'s tasks.
private final class BatchCounter: Sendable {
    private let value = Atomic<Int>(0)

    /// Claims `count` indices and returns the first.
    func take(_ count: Int) -> Int {
        value.wrappingAdd(count, ordering: .relaxed).oldValue
    }
}
