// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "wagewatch",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "wagewatch", targets: ["wagewatch"]),
        .library(name: "WagewatchCore", targets: ["WagewatchCore"]),
        .library(name: "PostgresClient", targets: ["PostgresClient"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        // Seeded property tests (Tests/WagewatchCoreTests/**/*PropertyTests.swift); tests only.
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // The C module: libpq's header and nothing else.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // The only code that calls PQ*.
        .target(name: "PostgresClient", dependencies: ["CLibPQ"]),
        // Rules, money, validation, deadlines, and the SQL that implements them.
        .target(
            name: "WagewatchCore",
            dependencies: ["PostgresClient", .product(name: "TOMLKit", package: "TOMLKit")],
            plugins: ["BundleSQL"]
        ),
        // sql/ compiled into WagewatchCore as string literals: the program carries its own schema.
        .executableTarget(name: "sql-bundler"),
        .plugin(name: "BundleSQL", capability: .buildTool(), dependencies: ["sql-bundler"]),
        // The sample county of `wagewatch demo`: a year of a county, made through the desks.
        .target(name: "SampleCounty", dependencies: ["WagewatchCore", "PostgresClient"]),
        // Subcommands, output formatting.
        .target(
            name: "WagewatchCLI",
            dependencies: [
                "WagewatchCore",
                "PostgresClient",
                "SampleCounty",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "wagewatch", dependencies: ["WagewatchCLI"]),
        // Drives the benchmarks of scripts/bench; not shipped to users.
        .executableTarget(name: "wagewatch-bench", dependencies: ["WagewatchCore", "PostgresClient"]),
        // Throwaway databases cloned from a migrated template, one per test.
        .target(name: "TestSupport", dependencies: ["PostgresClient", "WagewatchCore"], path: "Tests/TestSupport"),
        .testTarget(name: "PostgresClientTests", dependencies: ["PostgresClient", "TestSupport"]),
        .testTarget(
            name: "WagewatchCoreTests",
            dependencies: [
                "WagewatchCore", "PostgresClient", "TestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Golden"]),
        .testTarget(name: "WagewatchCLITests", dependencies: ["WagewatchCore", "PostgresClient", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
