// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "studyportal",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "studyportal", targets: ["studyportal"]),
        .library(name: "StudyPortal", targets: ["StudyPortal"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
    ],
    targets: [
        // Debian's libcmark-dev (0.30.2): the reference CommonMark implementation, used through its node API.
        .systemLibrary(
            name: "CMark",
            pkgConfig: "libcmark",
            providers: [.apt(["libcmark-dev"])]
        ),
        // Tunes mimalloc (Debian's libmimalloc-dev), the command's allocator in release builds.
        .target(name: "CAllocator"),
        .target(name: "CSupport"),
        // Turns templates/ into Swift string literals so the binary carries its default theme.
        .executableTarget(name: "EmbedTheme", path: "Plugins/EmbedTheme"),
        .plugin(name: "ThemePlugin", capability: .buildTool(), dependencies: ["EmbedTheme"], path: "Plugins/ThemePlugin"),
        .target(
            name: "StudyPortal",
            dependencies: [
                "CMark",
                "CSupport",
                .product(name: "Yams", package: "Yams"),
            ],
            plugins: ["ThemePlugin"]
        ),
        .executableTarget(
            name: "studyportal",
            dependencies: [
                "StudyPortal",
                "CAllocator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // mimalloc replaces malloc for the whole process — the build allocates and frees
            // hundreds of thousands of small strings and arrays on both cores, where glibc's
            // per-thread arenas grow a few pages per system call (docs/benchmarks.md: −5 to −8% of
            // the build's CPU). Release builds only: the sanitizers of `make sanitize` replace malloc
            // themselves and cannot see pointers kept in memory another allocator maps.
            linkerSettings: [.linkedLibrary("mimalloc", .when(platforms: [.linux], configuration: .release))]
        ),
        .testTarget(
            name: "StudyPortalTests",
            dependencies: ["StudyPortal", "studyportal"],
            exclude: ["Fixtures"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
