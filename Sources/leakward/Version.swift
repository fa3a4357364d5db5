import LeakwardCore

enum LeakwardVersion {
    static let current = LeakwardCore.version
}
