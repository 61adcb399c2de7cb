import Dispatch
import FormularyModel
import Foundation

/// Phase times on standard error when `FORMULARY_TIMINGS` is set, for finding where a build's
/// time goes (the site build and the search index's build).
public final class PhaseTimings: Sendable {
    private let enabled = ProcessInfo.processInfo.environment["FORMULARY_TIMINGS"] != nil
    private let label: String
    private let last = Locked(DispatchTime.now())

    /// `label` starts every line (`timing: `, `search index: `).
    public init(label: String = "timing: ") { self.label = label }

    public func mark(_ phase: @autoclosure () -> String) {
        guard enabled else { return }
        let now = DispatchTime.now()
        let previous = last.withLock { last in
            defer { last = now }
            return last
        }
        let milliseconds = Double(now.uptimeNanoseconds - previous.uptimeNanoseconds) / 1e6
        // The peak resident memory so far (VmHWM), to see which phase sets it.
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let peak =
            status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }.map { $0.dropFirst(6).trimmingWhitespace() }
            ?? "?"
        FileHandle.standardError.write(
            Data("\(label)\(phase()) \(Int(milliseconds)) ms (peak memory so far \(peak))\n".utf8))
    }
}
