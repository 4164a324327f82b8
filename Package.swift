// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "Aurora",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "AuroraModel", targets: ["AuroraModel"]),
        .library(name: "AuroraLog", targets: ["AuroraLog"]),
        .library(name: "AuroraCore", targets: ["AuroraCore"]),
        .library(name: "AuroraAlpha", targets: ["AuroraAlpha"]),
        .library(name: "AuroraExecution", targets: ["AuroraExecution"]),
        .library(name: "AuroraDiff", targets: ["AuroraDiff"]),
        .library(name: "AuroraLive", targets: ["AuroraLive"]),
        .library(name: "AuroraAlpaca", targets: ["AuroraAlpaca"]),
        .library(name: "AuroraGateway", targets: ["AuroraGateway"]),
        .library(name: "AuroraPaperExchange", targets: ["AuroraPaperExchange"]),
        .executable(name: "aurora", targets: ["aurora"]),
        // The fuzz targets (driven by libFuzzer from the nested `Fuzz` package, replayed by the tests).
        .library(name: "AuroraFuzzTargets", targets: ["AuroraFuzzTargets"]),
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
        .systemLibrary(
            name: "CZstd",
            pkgConfig: "libzstd",
            providers: [.apt(["libzstd-dev"])]
        ),
        // SHA-256 from Debian's libcrypto (OpenSSL): hardware speed, nothing to compile.
        .systemLibrary(
            name: "CCrypto",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        .target(name: "AuroraModel"),
        .target(
            name: "AuroraLog",
            dependencies: [
                "AuroraModel", "CZstd", "CCrypto",
            ]
        ),
        .target(name: "AuroraCore", dependencies: ["AuroraModel", "AuroraLog"]),
        .target(name: "AuroraAlpha", dependencies: ["AuroraModel", "AuroraLog", "AuroraCore", "Yams"]),
        .target(name: "AuroraExecution", dependencies: ["AuroraModel", "AuroraLog", "AuroraCore"]),
        .target(name: "AuroraDiff", dependencies: ["AuroraModel", "AuroraLog", "AuroraCore", "AuroraExecution"]),
        .target(name: "AuroraLive", dependencies: ["AuroraModel", "AuroraLog", "AuroraCore", "AuroraAlpha"]),
        // Alpaca's wire formats: stream messages, REST bodies and order requests (Foundation only).
        .target(name: "AuroraAlpaca", dependencies: ["AuroraModel", "AuroraCore"]),
        // Gateways: the Alpaca clients (market-data stream, trading REST and order updates).
        .target(
            name: "AuroraGateway",
            dependencies: [
                "AuroraModel", "AuroraLog", "AuroraCore", "AuroraLive", "AuroraAlpaca",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // A local server speaking the gateway's subset of Alpaca, for tests and rehearsals.
        .target(
            name: "AuroraPaperExchange",
            dependencies: [
                "AuroraModel", "AuroraCore", "AuroraGateway", "AuroraAlpaca",
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "aurora",
            dependencies: [
                "AuroraModel", "AuroraLog", "AuroraCore", "AuroraAlpha", "AuroraExecution", "AuroraDiff", "AuroraLive",
                "AuroraGateway", "AuroraPaperExchange",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Each reader of outside input, as a function of arbitrary bytes that must never trap.
        .target(name: "AuroraFuzzTargets", dependencies: ["AuroraModel", "AuroraLog", "AuroraCore", "AuroraAlpha", "AuroraAlpaca"],
                path: "Fuzz/Targets"),
        .testTarget(name: "AuroraFuzzTargetTests", dependencies: ["AuroraFuzzTargets"]),
        .testTarget(name: "AuroraModelTests", dependencies: ["AuroraModel"]),
        .testTarget(name: "AuroraLogTests", dependencies: ["AuroraLog", "AuroraModel"]),
        .testTarget(name: "AuroraCoreTests", dependencies: ["AuroraCore", "AuroraLog", "AuroraModel"]),
        .testTarget(name: "AuroraAlphaTests", dependencies: ["AuroraAlpha", "AuroraCore", "AuroraLog", "AuroraModel"]),
        .testTarget(name: "AuroraExecutionTests", dependencies: ["AuroraExecution", "AuroraCore", "AuroraLog", "AuroraModel"]),
        .testTarget(name: "AuroraDiffTests", dependencies: ["AuroraDiff", "AuroraAlpha", "AuroraCore", "AuroraLog", "AuroraModel"]),
        .testTarget(name: "AuroraLiveTests", dependencies: ["AuroraLive", "AuroraAlpha", "AuroraExecution", "AuroraCore", "AuroraLog", "AuroraModel"]),
        .testTarget(name: "AuroraGatewayTests", dependencies: ["AuroraGateway", "AuroraAlpaca", "AuroraPaperExchange", "AuroraLive", "AuroraAlpha", "AuroraExecution", "AuroraCore", "AuroraLog", "AuroraModel"]),
        .testTarget(name: "AuroraCLITests", dependencies: ["aurora", "AuroraLog", "AuroraModel"]),
    ],
    swiftLanguageModes: [.v6]
)
