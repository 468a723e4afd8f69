/// Inline SVG charts (SPEC §5: no script needed). Each has a text alternative; colours are paired
/// with labels and counts, never the only carrier of meaning.
enum Charts {
    static let colors: [Status: String] = [.complete: "#2e7d32", .onTrack: "#1d6fb8", .behind: "#c62828"]

    struct Row {
        var label: String
        var counts: [(Status, Int)]
    }

    /// One horizontal stacked bar per group: complete, on-track, behind.
    static func statusBars(_ rows: [Row], statusNames: [Status: String], title: String) -> String {
        let labelWidth = 150.0, barWidth = 420.0, rowHeight = 34.0
        let height = Double(rows.count) * rowHeight + 34
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(Int(labelWidth + barWidth + 70)) \(Int(height))\" role=\"img\" aria-label=\"\(HTML.escape(title))\">"
        svg += "<title>\(HTML.escape(title))</title>"
        for (i, row) in rows.enumerated() {
            let y = Double(i) * rowHeight + 4
            let total = row.counts.reduce(0) { $0 + $1.1 }
            svg += "<text x=\"0\" y=\"\(fmt(y + 17))\" class=\"chart-label\">\(HTML.escape(row.label))</text>"
            var x = labelWidth
            for (status, count) in row.counts where count > 0 && total > 0 {
                let w = barWidth * Double(count) / Double(total)
                svg += "<rect x=\"\(fmt(x))\" y=\"\(fmt(y))\" width=\"\(fmt(w))\" height=\"24\" fill=\"\(colors[status] ?? "#888")\">"
                svg += "<title>\(HTML.escape(statusNames[status] ?? status.rawValue))：\(count)</title></rect>"
                if w >= 22 { svg += "<text x=\"\(fmt(x + w / 2))\" y=\"\(fmt(y + 17))\" class=\"chart-count\" text-anchor=\"middle\">\(count)</text>" }
                x += w
            }
            svg += "<text x=\"\(fmt(labelWidth + barWidth + 8))\" y=\"\(fmt(y + 17))\" class=\"chart-label\">\(total)</text>"
        }
        // Legend.
        var lx = labelWidth
        let ly = height - 12
        for status in Status.allCases {
            svg += "<rect x=\"\(fmt(lx))\" y=\"\(fmt(ly - 10))\" width=\"12\" height=\"12\" fill=\"\(colors[status] ?? "#888")\"/>"
            let name = statusNames[status] ?? status.rawValue
            svg += "<text x=\"\(fmt(lx + 16))\" y=\"\(fmt(ly))\" class=\"chart-legend\">\(HTML.escape(name))</text>"
            lx += 30 + Double(name.count) * 14
        }
        return svg + "</svg>"
    }

    /// Vertical bars, one per month (labels given), with the value over each bar.
    static func monthBars(_ values: [(label: String, value: Double)], title: String) -> String {
        let width = 600.0, height = 200.0, top = 20.0, bottom = 24.0
        let maxValue = max(values.map(\.value).max() ?? 0, 1)
        let slot = width / Double(max(values.count, 1))
        var svg = "<svg class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"\(HTML.escape(title))\">"
        svg += "<title>\(HTML.escape(title))</title>"
        svg += "<line x1=\"0\" y1=\"\(fmt(height - bottom))\" x2=\"\(fmt(width))\" y2=\"\(fmt(height - bottom))\" class=\"chart-axis\"/>"
        for (i, v) in values.enumerated() {
            let h = (height - top - bottom) * v.value / maxValue
            let x = Double(i) * slot + slot * 0.18
            let y = height - bottom - h
            svg += "<rect x=\"\(fmt(x))\" y=\"\(fmt(y))\" width=\"\(fmt(slot * 0.64))\" height=\"\(fmt(h))\" class=\"chart-bar\"><title>\(HTML.escape(v.label))：\(Strings.hours(v.value))</title></rect>"
            if v.value > 0 { svg += "<text x=\"\(fmt(x + slot * 0.32))\" y=\"\(fmt(y - 4))\" class=\"chart-count-dark\" text-anchor=\"middle\">\(Strings.hours(v.value))</text>" }
            svg += "<text x=\"\(fmt(x + slot * 0.32))\" y=\"\(fmt(height - 6))\" class=\"chart-legend\" text-anchor=\"middle\">\(HTML.escape(v.label))</text>"
        }
        return svg + "</svg>"
    }

    /// A horizontal meter: `value` against `target` (or a bare value when there is no target).
    static func meter(value: Double, target: Double?, label: String) -> String {
        let width = 300.0
        let fraction = target.map { $0 > 0 ? min(1, value / $0) : 1 } ?? 0
        let color = fraction >= 1 ? "#2e7d32" : "#1d6fb8"
        var svg = "<svg class=\"meter\" viewBox=\"0 0 \(Int(width)) 18\" role=\"img\" aria-label=\"\(HTML.escape(label))\"><title>\(HTML.escape(label))</title>"
        svg += "<rect x=\"0\" y=\"2\" width=\"\(fmt(width))\" height=\"14\" rx=\"7\" fill=\"#e9ecef\"/>"
        if fraction > 0 { svg += "<rect x=\"0\" y=\"2\" width=\"\(fmt(max(14, width * fraction)))\" height=\"14\" rx=\"7\" fill=\"\(color)\"/>" }
        return svg + "</svg>"
    }

    private static func fmt(_ d: Double) -> String {
        let r = (d * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
}
