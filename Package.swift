// swift-tools-version:6.1
import PackageDescription

// Formulary runs on Linux: `serve` watches folders through inotify (FolderWatcher), and the
// build links Debian's cmark-gfm and zlib. SwiftPM has no way to name Linux as the platform;
// the line below only sets the minimum for tools that open the package on macOS, where
// FolderWatcher does not compile (it says so).
let package = Package(
    name: "Formulary",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "formulary", targets: ["formulary"]),
        .library(name: "FormularyModel", targets: ["FormularyModel"]),
        .library(name: "FormularyParsing", targets: ["FormularyParsing"]),
        .library(name: "FormularyCheck", targets: ["FormularyCheck"]),
        .library(name: "FormularySearch", targets: ["FormularySearch"]),
        .library(name: "FormularySite", targets: ["FormularySite"]),
        .library(name: "FormularyServer", targets: ["FormularyServer"]),
        .library(name: "FormularyGenerate", targets: ["FormularyGenerate"]),
        .library(name: "FormularyStore", targets: ["FormularyStore"]),
        .library(name: "FormularyReference", targets: ["FormularyReference"]),
        .library(name: "FormularyReview", targets: ["FormularyReview"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // Only the HTTP/1 server: no TLS, HTTP/2 or swift-configuration to build.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // Already built for postgres-nio: scrypt for passwords, SHA-256 for tokens.
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // GitHub's CommonMark/GFM parser from Debian's libcmark-gfm-dev (no pkg-config file, hence our own module map).
        .systemLibrary(
            name: "CCmarkGFM",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        // A per-thread arena allocator for cmark-gfm: a page's nodes and buffers are freed at once.
        .target(name: "CCmarkArena", dependencies: ["CCmarkGFM"]),
        // The C library's memmem, for phrase searches over whole pages (ByteSearch in FormularyParsing).
        .target(name: "CFastSearch"),
        .target(name: "FormularyModel"),
        // A deadline on async work, on SwiftNIO's timers: the server's and generate's one home for it.
        .target(
            name: "FormularyAsync",
            dependencies: [
                "FormularyModel", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .target(
            name: "FormularyParsing",
            dependencies: [
                "FormularyModel", "CCmarkGFM", "CCmarkArena", "CFastSearch", .product(name: "Yams", package: "Yams"),
            ]
        ),
        // India's public lists (banned combinations, Jan Aushadhi prices): the data, compiled in
        // from Data/india/, and matching pages against it.
        .target(name: "FormularyReference", dependencies: ["FormularyParsing"]),
        .target(
            name: "FormularyCheck",
            dependencies: ["FormularyParsing", "FormularyReference", .product(name: "Yams", package: "Yams")]
        ),
        .target(name: "FormularySearch", dependencies: ["FormularyParsing"]),
        // Who checked which section of a page, and whether that text still stands.
        .target(
            name: "FormularyReview",
            dependencies: ["FormularyParsing", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(
            name: "FormularySite",
            dependencies: [
                "FormularyParsing", "FormularySearch", "FormularyReference", "FormularyReview",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Yams", package: "Yams"),
            ],
            // The theme's source files; they are compiled in through DefaultTheme+Files.swift.
            exclude: ["Theme"]
        ),
        // zlib from Debian's zlib1g-dev, for gzip responses.
        .systemLibrary(name: "CZlib", providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "FormularyServer",
            dependencies: [
                "FormularySite", "FormularySearch", "FormularyStore", "FormularyCheck", "FormularyAsync", "CZlib",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // The OpenAPI documents; they are compiled in through OpenAPIDocument+Files.swift.
            exclude: ["OpenAPI"]
        ),
        .target(
            name: "FormularyGenerate",
            dependencies: [
                "FormularyParsing", "FormularyCheck", "FormularyAsync",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "FormularyStore",
            dependencies: [
                "FormularyParsing", "FormularyCheck", "FormularyReview", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                // Its ConnectionPoolError is what PostgresClient throws when no connection comes.
                .product(name: "_ConnectionPoolModule", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "formulary",
            dependencies: [
                "FormularyParsing",
                "FormularyCheck",
                "FormularySearch",
                "FormularySite",
                "FormularyServer",
                "FormularyGenerate",
                "FormularyStore",
                "FormularyReference",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Parses the whole corpus and reports files per second and peak memory: `swift run -c release formulary-bench`.
        .executableTarget(
            name: "formulary-bench", dependencies: ["FormularyParsing", "FormularySearch"],
            path: "Benchmarks/formulary-bench"),
        // libFuzzer entry point; see README "Fuzzing".
        .executableTarget(name: "formulary-fuzz", dependencies: ["FormularyParsing"], path: "Fuzz/formulary-fuzz"),
        // What the test targets share: temporary folders, test pages.
        .target(name: "FormularyTestSupport", path: "Tests/FormularyTestSupport"),
        .testTarget(name: "FormularyParsingTests", dependencies: ["FormularyParsing", "FormularyTestSupport"]),
        .testTarget(name: "FormularyCheckTests", dependencies: ["FormularyCheck"]),
        .testTarget(name: "FormularyReferenceTests", dependencies: ["FormularyReference"]),
        .testTarget(name: "FormularySearchTests", dependencies: ["FormularySearch"]),
        .testTarget(name: "FormularyReviewTests", dependencies: ["FormularyReview"]),
        .testTarget(
            name: "FormularySiteTests", dependencies: ["FormularySite", "FormularyReference", "FormularyTestSupport"]),
        .testTarget(name: "FormularyCLITests", dependencies: ["formulary", "FormularyTestSupport"]),
        .testTarget(
            name: "FormularyStoreTests",
            dependencies: [
                "FormularyStore", "FormularyReview", "FormularyTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "FormularyGenerateTests",
            dependencies: [
                "FormularyGenerate", .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "FormularyServerTests",
            dependencies: [
                "FormularyServer", "FormularyStore", "FormularyAsync", "FormularyTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
    ]
)
