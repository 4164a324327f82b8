// swift-tools-version:6.1
import PackageDescription

// Modules from the bottom up; each depends only on those above it (docs/ARCHITECTURE.md).
// The `Alpaca` trait adds the network stack (Alpaca's gateway and the paper exchange, on
// AsyncHTTPClient, Hummingbird and SwiftNIO) to the `aurora` tool; without it the tool builds in
// minutes and does everything else (backtests, replays, diffs, research, live sessions over a
// replayed feed). `swift build --traits Alpaca` (or `scripts/test`) builds all of it.
let package = Package(
    name: "Aurora",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Aurora", targets: ["Aurora"]),
        .library(name: "AuroraModel", targets: ["AuroraModel"]),
        .library(name: "AuroraLog", targets: ["AuroraLog"]),
        .library(name: "AuroraStats", targets: ["AuroraStats"]),
        .library(name: "AuroraData", targets: ["AuroraData"]),
        .library(name: "AuroraKernel", targets: ["AuroraKernel"]),
        .library(name: "AuroraExecution", targets: ["AuroraExecution"]),
        .library(name: "AuroraStrategies", targets: ["AuroraStrategies"]),
        .library(name: "AuroraRun", targets: ["AuroraRun"]),
        .library(name: "AuroraDiff", targets: ["AuroraDiff"]),
        .library(name: "AuroraLive", targets: ["AuroraLive"]),
        .library(name: "AuroraFeatures", targets: ["AuroraFeatures"]),
        .library(name: "AuroraResearch", targets: ["AuroraResearch"]),
        .library(name: "AuroraModels", targets: ["AuroraModels"]),
        .library(name: "AuroraPolicy", targets: ["AuroraPolicy"]),
        .library(name: "AuroraReport", targets: ["AuroraReport"]),
        .library(name: "AuroraSweep", targets: ["AuroraSweep"]),
        .library(name: "AuroraAlpaca", targets: ["AuroraAlpaca"]),
        .library(name: "AuroraGateway", targets: ["AuroraGateway"]),
        .library(name: "AuroraPaperExchange", targets: ["AuroraPaperExchange"]),
        .library(name: "AuroraDashboard", targets: ["AuroraDashboard"]),
        .executable(name: "aurora", targets: ["aurora"]),
        // The fuzz targets (driven by libFuzzer from the nested `Fuzz` package, replayed by the tests).
        .library(name: "AuroraFuzzTargets", targets: ["AuroraFuzzTargets"]),
    ],
    traits: [
        .trait(name: "Alpaca", description: "Alpaca's gateway and the paper exchange in the aurora tool (feeds and brokers over the network)"),
        .default(enabledTraits: []),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    ],
    targets: [
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        // SHA-256 from Debian's libcrypto (OpenSSL): hardware speed, nothing to compile.
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        // LAPACK over OpenBLAS, and XGBoost: the model zoo's solvers, used by AuroraModels only.
        // Both only declare: AuroraModels opens the libraries at first use (see its LinearAlgebra
        // and XGBoostLibrary), so commands that fit no model neither load nor link them.
        .systemLibrary(name: "CLapack"),
        .systemLibrary(name: "CXGBoost"),

        .target(name: "AuroraModel"),
        .target(name: "AuroraLog", dependencies: ["AuroraModel", "CZstd", "CCrypto"]),
        .target(name: "AuroraStats"),
        .target(name: "AuroraData", dependencies: ["AuroraModel", "AuroraLog"]),
        .target(name: "AuroraKernel", dependencies: ["AuroraModel", "AuroraLog", "AuroraStats", "AuroraData"]),
        .target(name: "AuroraExecution", dependencies: ["AuroraModel", "AuroraLog", "AuroraData", "AuroraKernel"]),
        .target(name: "AuroraStrategies", dependencies: ["AuroraModel", "AuroraStats", "AuroraData", "AuroraKernel"]),
        .target(name: "AuroraRun", dependencies: ["AuroraModel", "AuroraLog", "AuroraStats", "AuroraData", "AuroraKernel",
                                                  "AuroraExecution", "AuroraStrategies", "Yams"]),
        .target(name: "AuroraDiff", dependencies: ["AuroraModel", "AuroraLog", "AuroraKernel", "AuroraExecution"]),
        .target(name: "AuroraLive", dependencies: ["AuroraModel", "AuroraLog", "AuroraData", "AuroraKernel", "AuroraRun"]),
        // Research: features (Alpha158, alphas, sector and ETF neutralization, point-in-time data,
        // labels) and their evaluation (IC, quantiles, turnover, purged walk-forward).
        .target(name: "AuroraFeatures", dependencies: ["AuroraModel", "AuroraData", "AuroraStats", "AuroraStrategies"]),
        .target(name: "AuroraResearch", dependencies: ["AuroraModel", "AuroraLog", "AuroraData", "AuroraStats", "AuroraStrategies",
                                                       "AuroraRun", "AuroraFeatures", "AuroraModels", "Yams"]),
        // Policy: portfolio construction from expected returns (cost filter, risk sizing and
        // limits, turnover budgets), each binding constraint logged.
        .target(name: "AuroraPolicy", dependencies: ["AuroraModel", "AuroraLog", "AuroraStats", "AuroraData", "AuroraKernel"]),
        // Models: the zoo (linear through LAPACK, boosted trees through XGBoost), training,
        // ensembles, calibration, and the strategy that runs them inside the kernel.
        .target(name: "AuroraModels", dependencies: ["AuroraModel", "AuroraLog", "AuroraStats", "AuroraData", "AuroraKernel",
                                                     "AuroraStrategies", "AuroraRun", "AuroraFeatures", "CLapack", "CXGBoost"]),
        // Reports: self-contained HTML tear sheets of a log, a diff and a research folder (SVG of its own).
        .target(name: "AuroraReport", dependencies: ["AuroraModel", "AuroraLog", "AuroraStats", "AuroraKernel", "AuroraExecution",
                                                     "AuroraRun", "AuroraDiff"]),
        // Sweeps: grids and walk-forward blocks as shards with manifests, results and digests.
        .target(name: "AuroraSweep", dependencies: ["AuroraLog", "AuroraStats", "AuroraRun", "Yams"]),
        .target(name: "Aurora", dependencies: ["AuroraModel", "AuroraLog", "AuroraStats", "AuroraData", "AuroraKernel",
                                               "AuroraExecution", "AuroraStrategies", "AuroraRun", "AuroraDiff", "AuroraLive",
                                               "AuroraFeatures", "AuroraResearch", "AuroraModels", "AuroraPolicy", "AuroraReport", "AuroraSweep"]),
        // Alpaca's wire formats: stream messages, REST bodies and order requests (Foundation only).
        .target(name: "AuroraAlpaca", dependencies: ["AuroraModel", "AuroraData"]),
        // The Alpaca clients (market-data stream, trading REST and order updates).
        .target(
            name: "AuroraGateway",
            dependencies: [
                "AuroraModel", "AuroraLog", "AuroraData", "AuroraKernel", "AuroraRun", "AuroraLive", "AuroraAlpaca",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // A local server speaking Alpaca's API, for tests and rehearsals.
        .target(
            name: "AuroraPaperExchange",
            dependencies: [
                "AuroraModel", "AuroraData", "AuroraGateway", "AuroraAlpaca",
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The live session's page in a browser (server-sent events), on the same HTTP stack.
        .target(
            name: "AuroraDashboard",
            dependencies: [
                "AuroraModel", "AuroraLive",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "aurora",
            dependencies: [
                "Aurora",
                .target(name: "AuroraGateway", condition: .when(traits: ["Alpaca"])),
                .target(name: "AuroraPaperExchange", condition: .when(traits: ["Alpaca"])),
                .target(name: "AuroraDashboard", condition: .when(traits: ["Alpaca"])),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The library in a few lines (`swift run BacktestExample`).
        .executableTarget(name: "BacktestExample", dependencies: ["Aurora"], path: "Examples/Backtest"),
        // Each reader of outside input, as a function of arbitrary bytes that must never trap.
        .target(name: "AuroraFuzzTargets", dependencies: ["AuroraModel", "AuroraLog", "AuroraData", "AuroraKernel", "AuroraRun", "AuroraAlpaca"],
                path: "Fuzz/Targets"),

        .target(name: "AuroraTestSupport", path: "Tests/AuroraTestSupport"),
        .testTarget(name: "AuroraFuzzTargetTests", dependencies: ["AuroraFuzzTargets"]),
        .testTarget(name: "AuroraModelTests", dependencies: ["AuroraModel"]),
        .testTarget(name: "AuroraLogTests", dependencies: ["AuroraTestSupport", "AuroraLog", "AuroraModel"]),
        .testTarget(name: "AuroraStatsTests", dependencies: ["AuroraTestSupport", "Aurora"]),
        .testTarget(name: "AuroraDataTests", dependencies: ["AuroraTestSupport", "Aurora"]),
        .testTarget(name: "AuroraKernelTests", dependencies: ["AuroraTestSupport", "Aurora"]),
        .testTarget(name: "AuroraStrategiesTests", dependencies: ["AuroraTestSupport", "Aurora"]),
        .testTarget(name: "AuroraRunTests", dependencies: ["AuroraTestSupport", "Aurora"]),
        .testTarget(name: "AuroraExecutionTests", dependencies: ["AuroraTestSupport", "Aurora"]),
        .testTarget(name: "AuroraDiffTests", dependencies: ["AuroraTestSupport", "Aurora"]),
        .testTarget(name: "AuroraLiveTests", dependencies: ["AuroraTestSupport", "Aurora"]),
        .testTarget(name: "AuroraFeaturesTests", dependencies: ["AuroraTestSupport", "Aurora"]),
        .testTarget(name: "AuroraResearchTests", dependencies: ["AuroraTestSupport", "Aurora"]),
        .testTarget(name: "AuroraModelsTests", dependencies: ["AuroraTestSupport", "Aurora"]),
        .testTarget(name: "AuroraPolicyTests", dependencies: ["AuroraTestSupport", "Aurora"]),
        .testTarget(name: "AuroraReportTests", dependencies: ["AuroraTestSupport", "Aurora"]),
        .testTarget(name: "AuroraSweepTests", dependencies: ["AuroraTestSupport", "Aurora"]),
        .testTarget(name: "AuroraGatewayTests", dependencies: ["AuroraTestSupport", "Aurora", "AuroraGateway", "AuroraAlpaca", "AuroraPaperExchange"]),
        .testTarget(name: "AuroraCLITests", dependencies: ["aurora", "AuroraTestSupport", "AuroraLog", "AuroraModel"]),
    ],
    swiftLanguageModes: [.v6]
)

// The event path (decode, reduce, encode) touches class-held buffers and tables per event; the
// runtime's exclusivity checks there cost 10–15% of a replay or verify (perf). Release builds of
// these modules leave them to the compiler's static checks; debug builds, which run the tests,
// keep the dynamic ones.
let eventPathModules: Set<String> = ["AuroraModel", "AuroraLog", "AuroraData", "AuroraKernel", "AuroraExecution",
                                     "AuroraStrategies", "AuroraRun", "AuroraDiff", "aurora"]
for target in package.targets where eventPathModules.contains(target.name) {
    target.swiftSettings = (target.swiftSettings ?? []) + [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
}
