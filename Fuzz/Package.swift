// swift-tools-version:6.1
import PackageDescription

// libFuzzer drivers for the fuzz targets in `Fuzz/Targets` (the root package's `AuroraFuzzTargets`,
// whose regression inputs `swift test` replays). A separate package: these are built with
// `-sanitize=fuzzer` (see `Fuzz/run`), which the main build must never see.
let package = Package(
    name: "AuroraFuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "Aurora", path: "..")],
    targets: [
        .target(name: "FuzzDriver"),
        .executableTarget(name: "FuzzLogReader", dependencies: ["FuzzDriver", .product(name: "AuroraFuzzTargets", package: "Aurora")]),
        .executableTarget(name: "FuzzBarCSV", dependencies: ["FuzzDriver", .product(name: "AuroraFuzzTargets", package: "Aurora")]),
        .executableTarget(name: "FuzzConfig", dependencies: ["FuzzDriver", .product(name: "AuroraFuzzTargets", package: "Aurora")]),
        .executableTarget(name: "FuzzOrderRequest", dependencies: ["FuzzDriver", .product(name: "AuroraFuzzTargets", package: "Aurora")]),
    ],
    swiftLanguageModes: [.v6]
)
