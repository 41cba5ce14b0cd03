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
        // The web desk (SPEC §8): the HTTP server, bcrypt, request logs, HTML.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
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
            dependencies: [
                "PostgresClient",
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            plugins: ["BundleSQL"]
        ),
        // sql/ compiled into WagewatchCore as string literals: the program carries its own schema.
        .executableTarget(name: "sql-bundler"),
        .plugin(name: "BundleSQL", capability: .buildTool(), dependencies: ["sql-bundler"]),
        // openapi/wagewatch.json compiled into WagewatchWeb: the API serves the repository's contract.
        .plugin(name: "BundleOpenAPI", capability: .buildTool(), dependencies: ["sql-bundler"]),
        // The sample county of `wagewatch demo`: a year of a county, made through the desks.
        .target(name: "SampleCounty", dependencies: ["WagewatchCore", "PostgresClient"]),
        // The web desk: routes per resource, pages, sign-in and the per-request Session.
        .target(
            name: "WagewatchWeb",
            dependencies: [
                "WagewatchCore",
                "PostgresClient",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            plugins: ["BundleOpenAPI"]
        ),
        // Subcommands, output formatting.
        .target(
            name: "WagewatchCLI",
            dependencies: [
                "WagewatchCore",
                "PostgresClient",
                "SampleCounty",
                "WagewatchWeb",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
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
        .testTarget(
            name: "WagewatchWebTests",
            dependencies: [
                "WagewatchWeb", "WagewatchCore", "PostgresClient", "TestSupport", "SampleCounty",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
