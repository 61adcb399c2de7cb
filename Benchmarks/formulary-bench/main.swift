// Parses a whole corpus with the `ContentLoader` that `formulary search` and `formulary check` use,
// keeping every record, and reports speed and memory.
//
//   swift run -c release formulary-bench [PATH...] [--runs N] [--stage read|frontMatter|markdown|libraries|sections|faqs|record]
//   swift run -c release formulary-bench [PATH...] --search QUERIES   (index build time, query latency)
//
// PATH defaults to ../shared/corpus. Each run lists the files, reads and parses every one on
// all cores, and counts records and errors; the figures are the wall time of each run, their
// median, files per second at the median, and the process's peak resident memory.
// --stage stops each page after one step, to see what the steps cost: `read` (read and check
// the bytes), `frontMatter` (and Yams), `markdown` (read and cmark-gfm), `libraries` (both).
import Dispatch
@_spi(Benchmarking) import FormularyParsing
import FormularySearch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

var arguments = Array(CommandLine.arguments.dropFirst())
var runs = 5
if let flag = arguments.firstIndex(of: "--runs"), flag + 1 < arguments.count, let value = Int(arguments[flag + 1]) {
    runs = max(1, value)
    arguments.removeSubrange(flag...(flag + 1))
}
var stage: ParsingStage?
if let flag = arguments.firstIndex(of: "--stage"), flag + 1 < arguments.count {
    guard let value = ParsingStage(rawValue: arguments[flag + 1]) else {
        FileHandle.standardError.write(
            Data("formulary-bench: --stage is one of \(ParsingStage.allCases.map(\.rawValue))\n".utf8))
        exit(2)
    }
    stage = value
    arguments.removeSubrange(flag...(flag + 1))
}
let paths = arguments.isEmpty ? ["../shared/corpus"] : arguments

/// Runs one stage over all files on all cores; returns the number of failures.
func runStage(_ stage: ParsingStage, _ files: [String]) -> Int {
    let parser = MonographParser()
    let failures = UnsafeMutableBufferPointer<Int>.allocate(capacity: files.count)
    defer { failures.deallocate() }
    failures.initialize(repeating: 0)
    nonisolated(unsafe) let slots = failures
    DispatchQueue.concurrentPerform(iterations: (files.count + 15) / 16) { chunk in
        for index in (chunk * 16)..<min(files.count, chunk * 16 + 16) {
            do { try parser.run(stage, contentsOf: files[index]) } catch { slots[index] = 1 }
        }
    }
    return failures.reduce(0, +)
}

func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

func peakResidentMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
}

if let flag = arguments.firstIndex(of: "--recognize"), flag + 2 < arguments.count {
    // Section recognition alone: `--recognize heading|label FILE` times every line of FILE.
    let lines = try String(contentsOfFile: arguments[flag + 2], encoding: .utf8).split(separator: "\n").map(String.init)
    let asHeading = arguments[flag + 1] == "heading"
    var kinds = 0
    let start = now()
    for _ in 0..<3 {
        for line in lines {
            if asHeading {
                kinds &+= SectionRecognizer.recognize(heading: line).kind == .other ? 0 : 1
            } else {
                kinds &+= SectionRecognizer.recognize(labelParagraph: line) == nil ? 0 : 1
            }
        }
    }
    let seconds = now() - start
    print(
        "\(lines.count) lines × 3: \(String(format: "%.0f", seconds / Double(lines.count * 3) * 1e9)) ns each (\(kinds / 3) recognised)"
    )
    exit(0)
}

if let flag = arguments.firstIndex(of: "--search"), flag + 1 < arguments.count {
    // Search: parse once, then time the index build and every query of the file (repeated).
    let queryFile = arguments[flag + 1]
    arguments.removeSubrange(flag...(flag + 1))
    let corpusPaths = arguments.isEmpty ? ["../shared/corpus"] : arguments
    let pages = ContentLoader().load(try ContentLoader.markdownFiles(in: corpusPaths)).compactMap { try? $0.get() }
    var buildTimes: [Double] = []
    var index: SearchIndex?
    for _ in 0..<runs {
        let start = now()
        index = SearchIndex(pages: pages)
        buildTimes.append(now() - start)
    }
    let engine = SearchEngine(index: index!)
    let queries = try String(contentsOfFile: queryFile, encoding: .utf8).split(separator: "\n").map(String.init)
        .filter { !$0.isEmpty }
    var latencies: [Double] = []
    var slowest: [String: Double] = [:]
    for _ in 0..<3 {
        for query in queries {
            let start = now()
            _ = engine.search(query)
            let took = now() - start
            latencies.append(took)
            slowest[query] = min(slowest[query] ?? .infinity, took)
        }
    }
    if let dump = ProcessInfo.processInfo.environment["FORMULARY_SEARCH_DUMP"] {
        // Every answer, one line a query, to compare two versions of the engine.
        var lines = ""
        for query in queries {
            let response = engine.search(query)
            lines +=
                "\(query)\t\(response.total)\t"
                + response.results.map { "\($0.id) \($0.score) \($0.snippet)" }.joined(separator: "\t") + "\n"
        }
        try lines.write(toFile: dump, atomically: true, encoding: .utf8)
    }
    latencies.sort()
    buildTimes.sort()
    func micro(_ seconds: Double) -> String { String(format: "%.0f µs", seconds * 1e6) }
    print(
        "pages: \(pages.count); index build (s): "
            + buildTimes.map { String(format: "%.3f", $0) }.joined(separator: " ")
            + "  (median \(String(format: "%.3f", buildTimes[buildTimes.count / 2])))")
    print(
        "slowest: "
            + slowest.sorted { $0.value > $1.value }.prefix(8).map { "\($0.key) \(micro($0.value))" }
            .joined(separator: ", "))
    print(
        "queries: \(queries.count) × 3; latency p50 \(micro(latencies[latencies.count / 2])), p90 \(micro(latencies[latencies.count * 9 / 10])), p99 \(micro(latencies[latencies.count * 99 / 100])), max \(micro(latencies.last!))"
    )
    exit(0)
}

var times: [Double] = []
var fileCount = 0
var errorCount = 0
var byteCount = 0
var sectionCount = 0
var faqCount = 0
for _ in 0..<runs {
    let start = now()
    let files: [String]
    do {
        files = try ContentLoader.markdownFiles(in: paths)
    } catch {
        FileHandle.standardError.write(Data("formulary-bench: \(error)\n".utf8))
        exit(2)
    }
    if let stage {
        errorCount = runStage(stage, files)
        times.append(now() - start)
        fileCount = files.count
        continue
    }
    let outcomes = ContentLoader().load(files)
    times.append(now() - start)
    fileCount = files.count
    errorCount = 0
    sectionCount = 0
    faqCount = 0
    byteCount = 0
    for outcome in outcomes {
        switch outcome {
        case .success(let page):
            sectionCount += page.monograph.sections.count
            faqCount += page.monograph.faqs.count
            byteCount += page.bodyBytes.count
        case .failure:
            errorCount += 1
        }
    }
}
let sorted = times.sorted()
let median = sorted[sorted.count / 2]
func format(_ value: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", value) }
print("corpus: \(paths.joined(separator: " "))" + (stage.map { "  (stage: \($0.rawValue))" } ?? ""))
print(
    "files: \(fileCount) (\(errorCount) errors), \(sectionCount) sections, \(faqCount) FAQ pairs, \(byteCount / 1_000_000) MB of body text"
)
print("cores: \(ProcessInfo.processInfo.activeProcessorCount)")
print(
    "wall per run (s): " + times.map { format($0) }.joined(separator: " ")
        + "  (min \(format(sorted[0])), median \(format(median)))")
print("files per second (median run): \(Int(Double(fileCount) / median))")
print("peak memory: \(format(peakResidentMiB(), 1)) MiB")
