// A libFuzzer target for the monograph parser.
//
// Built for fuzzing (see README, "Fuzzing"), `FUZZING` is defined and libFuzzer calls
// `LLVMFuzzerTestOneInput` with mutated pages. Built normally, the same target replays
// files given on the command line (a crash reproducer), so `swift build` always links it.
import FormularyParsing

/// Parses one input; any outcome but a crash, a hang or a sanitizer report is fine.
func parseOneInput(_ bytes: [UInt8]) {
    let location = DocumentLocation(path: "fuzz/composition/f/input.md")
    if let page = try? MonographParser().parse(bytes: bytes, location: location) {
        // Touch what consumers read, so lazy paths run too.
        _ = page.body.utf8.count
        _ = page.monograph.sections.count + page.monograph.faqs.count
    }
}

#if FUZZING
    /// libFuzzer's entry for embedders: runs the fuzzing loop with our callback.
    @_silgen_name("LLVMFuzzerRunDriver")
    func LLVMFuzzerRunDriver(
        _ argc: UnsafeMutablePointer<Int32>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
    ) -> Int32

    // SwiftPM names an executable's entry point `<target>_main` and aliases `main` to it,
    // so libFuzzer's own `main` is never linked: this one hands control to its driver.
    @_cdecl("formulary_fuzz_main")
    func fuzzMain(
        _ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
    ) -> Int32 {
        var count = argc
        var arguments = argv
        return LLVMFuzzerRunDriver(&count, &arguments) { data, size in
            guard let data else { return 0 }
            parseOneInput(Array(UnsafeBufferPointer(start: data, count: size)))
            return 0
        }
    }
#else
    /// Replays inputs, one file per argument: `formulary-fuzz crash-1234`.
    @main
    struct Replay {
        static func main() {
            for path in CommandLine.arguments.dropFirst() {
                do {
                    let page = try MonographParser().parse(contentsOf: path)
                    print("\(path): ok, \(page.monograph.sections.count) sections")
                } catch {
                    print(error)
                }
            }
        }
    }
#endif
