/// Maps `items` on every core with structured concurrency, keeping the input order in the result.
/// Work is cut into chunks (16 per core) so small items don't pay a task each, while a run of heavy
/// items (member pages come together) still spreads over the cores.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], jobs: Int,
                                           _ transform: @escaping @Sendable (T) -> R) async -> [R] {
    guard items.count > 1, jobs > 1 else { return items.map(transform) }
    let chunkCount = min(items.count, jobs * 16)
    let chunkSize = (items.count + chunkCount - 1) / chunkCount
    return await withTaskGroup(of: (Int, [R]).self) { group in
        for start in stride(from: 0, to: items.count, by: chunkSize) {
            let slice = Array(items[start..<min(start + chunkSize, items.count)])
            group.addTask { (start, slice.map(transform)) }
        }
        var chunks: [(Int, [R])] = []
        for await chunk in group { chunks.append(chunk) }
        return chunks.sorted { $0.0 < $1.0 }.flatMap(\.1)
    }
}
