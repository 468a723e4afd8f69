/// What a profile may show (SPEC §7). Figures are always computed from all the data; this decides only
/// what reaches the output. Every page and file asks here rather than checking the profile itself.
public struct Visibility: Sendable {
    public let profile: SiteConfig.Profile
    public let minGroupSize: Int

    public init(_ config: SiteConfig) {
        profile = config.profile
        minGroupSize = config.minGroupSize
    }

    /// Member pages, member ledgers, names and ids, attendee lists, absence reasons, hosts.
    public var showsMembers: Bool { profile == .internal }

    /// A plan's group figures that may be shown: in public, groups with fewer than `min_group_size`
    /// audience members are left out, so no figure points at one person.
    public func groups(of plan: PlanProgress) -> [GroupFigures] {
        showsMembers ? plan.groups : plan.groups.filter { $0.members >= minGroupSize }
    }

    /// The members whose figures may count in a shown total: in public, only those of shown groups,
    /// or subtracting the shown groups from a plan-wide total would give a withheld group away.
    public func members(of plan: PlanProgress) -> [MemberProgress] {
        guard !showsMembers else { return plan.members }
        let shown = Set(groups(of: plan).map(\.group))
        return plan.members.filter { shown.contains($0.group) }
    }

    public func shows(_ r: Reflection) -> Bool { showsMembers || r.isPublic }
}
