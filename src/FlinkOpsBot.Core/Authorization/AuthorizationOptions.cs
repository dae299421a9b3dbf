namespace FlinkOpsBot.Core.Authorization;

/// <summary>
/// Who may do what (configuration section <c>Authorization</c>): who may request a run and who may approve it, per
/// cluster (and CMF environment) × recipe × channel, with named groups. Mutating recipes are denied unless a rule allows
/// them; read-only commands (<c>help</c>, <c>status</c>, <c>runs</c>, <c>timeline</c>) are allowed to <see cref="ReadOnly"/>.
/// See <c>docs/authorization.md</c>.
/// </summary>
public sealed class AuthorizationOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Authorization";

    /// <summary>
    /// Named groups, by name (without <c>@</c>): lists of the same entries rules use (people, Slack user groups, Entra
    /// groups, other named groups). Rules name them as <c>@name</c>. Default: none.
    /// </summary>
    public Dictionary<string, List<string>> Groups { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Who may use the read-only commands (<c>help</c>, <c>status</c>, <c>runs</c>, <c>timeline</c>) and non-mutating
    /// recipes no rule names. Default (empty list): anyone verified (<c>*</c>).
    /// </summary>
    public List<string> ReadOnly { get; set; } = [];

    /// <summary>
    /// The rules. For a request, the most specific rule that matches the cluster, environment, recipe and channel
    /// decides (each field that names a value exactly counts 2, a partial pattern such as <c>prod-*</c> counts 1,
    /// <c>*</c> counts 0; <c>Channel</c> counts 1 for a platform and 3 for one conversation, 2 with a pattern); of
    /// equally specific rules the one listed first wins. No matching rule: a mutating recipe is refused.
    /// </summary>
    public List<AuthorizationRule> Rules { get; set; } = [];

    /// <summary>
    /// Problems with this policy, one plain line each naming the setting; empty when it is usable.
    /// <paramref name="recipes"/> are the known recipe ids (a rule naming an unknown recipe is a typo, unless other
    /// commands such as <c>lock</c> are listed in <paramref name="otherActions"/>).
    /// </summary>
    public IReadOnlyList<string> Problems(IReadOnlyCollection<string> recipes, IReadOnlyCollection<string>? otherActions = null)
    {
        var problems = new List<string>();
        foreach (var (name, members) in Groups)
        {
            if (string.IsNullOrWhiteSpace(name) || name.StartsWith('@') || name.Contains('*', StringComparison.Ordinal))
            {
                problems.Add($"Authorization:Groups:{name} is not a usable group name: use letters, digits and dashes, without @ (rules write @{name.TrimStart('@')}).");
            }
            problems.AddRange(EntryProblems($"Authorization:Groups:{name}", members));
        }
        foreach (var cycle in Groups.Keys.Where(g => InCycle(g, g, [])))
        {
            problems.Add($"Authorization:Groups:{cycle} contains itself (through @{cycle} in its members or theirs); remove the loop.");
        }
        problems.AddRange(EntryProblems("Authorization:ReadOnly", ReadOnly));
        var known = recipes.Concat(otherActions ?? []).ToHashSet(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Rules.Count; i++)
        {
            var rule = Rules[i];
            var at = $"Authorization:Rules:{i}";
            foreach (var (field, value) in new[] { ("Cluster", rule.Cluster), ("Environment", rule.Environment), ("Recipe", rule.Recipe), ("Channel", rule.Channel) })
            {
                if (string.IsNullOrWhiteSpace(value)) problems.Add($"{at}:{field} is empty; use * for any.");
            }
            if (!string.IsNullOrWhiteSpace(rule.Recipe) && !rule.Recipe.Contains('*', StringComparison.Ordinal) && !known.Contains(rule.Recipe))
            {
                problems.Add($"{at}:Recipe '{rule.Recipe}' is not a known recipe ({string.Join(", ", known.Order(StringComparer.Ordinal))}), nor *.");
            }
            if (!string.IsNullOrWhiteSpace(rule.Channel) && rule.Channel != "*" && rule.Channel.Split(':')[0] is var platform
                && platform is not ("slack" or "teams" or "local"))
            {
                problems.Add($"{at}:Channel '{rule.Channel}' must be *, slack, teams, local, or platform:conversation id (slack:C0123ABCD).");
            }
            problems.AddRange(EntryProblems($"{at}:Requesters", rule.Requesters));
            problems.AddRange(EntryProblems($"{at}:Approvers", rule.Approvers));
            if (rule.Requesters.Count > 0 && rule.Approvers.Count == 0 && rule.RequiredApprovals is not 0)
            {
                problems.Add($"{at}:Approvers is empty, so nobody could approve what its requesters ask for; name approvers (or * for anyone verified).");
            }
            if (rule.RequiredApprovals is < 1) problems.Add($"{at}:RequiredApprovals must be at least 1, not {rule.RequiredApprovals}.");
            if (rule.ExpiresAfter is { } expiry && expiry <= TimeSpan.Zero) problems.Add($"{at}:ExpiresAfter must be positive, e.g. 00:30:00.");
        }
        return problems;
    }

    private IEnumerable<string> EntryProblems(string at, List<string> entries)
    {
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = Principal.Parse(entries[i] ?? "");
            if (entry.Text.Length == 0)
            {
                yield return $"{at}:{i} is empty; name a person (U024BE7LH, ana@contoso.com, local::alice), a group (@oncall, S0614TZR7, entra-group:<id>) or *.";
            }
            else if (entry.Kind == PrincipalKind.NamedGroup && !Groups.ContainsKey(entry.Id))
            {
                yield return $"{at}:{i} names the group {entry.Text}, which Authorization:Groups does not define (defined: {(Groups.Count == 0 ? "none" : string.Join(", ", Groups.Keys.Select(k => "@" + k)))}).";
            }
            else if (entry.Kind == PrincipalKind.EntraGroup && !Guid.TryParse(entry.Id, out _))
            {
                yield return $"{at}:{i} '{entry.Text}' must be entra-group: followed by the group's object id (a GUID).";
            }
        }
    }

    private bool InCycle(string start, string group, HashSet<string> seen)
    {
        if (!seen.Add(group) || !Groups.TryGetValue(group, out var members)) return false;
        foreach (var member in members.Select(m => Principal.Parse(m ?? "")).Where(m => m.Kind == PrincipalKind.NamedGroup))
        {
            if (string.Equals(member.Id, start, StringComparison.OrdinalIgnoreCase) || InCycle(start, member.Id, seen)) return true;
        }
        return false;
    }
}

/// <summary>
/// One rule of <see cref="AuthorizationOptions.Rules"/>: where it applies (patterns with <c>*</c>, case-insensitive) and
/// who may request and approve there. Unset gate values fall back to the <c>Gate</c> section, then to the recipe's.
/// </summary>
public sealed class AuthorizationRule
{
    /// <summary>The cluster name, or a pattern (<c>prod-*</c>); default <c>*</c>.</summary>
    public string Cluster { get; set; } = "*";

    /// <summary>The cluster's CMF environment, or a pattern; default <c>*</c>. A cluster without an environment matches only <c>*</c>.</summary>
    public string Environment { get; set; } = "*";

    /// <summary>The recipe id (<c>upgrade</c>) or another mutating command (<c>lock</c>), or a pattern; default <c>*</c>.</summary>
    public string Recipe { get; set; } = "*";

    /// <summary>
    /// Where the command is typed: <c>*</c> (default), a platform (<c>slack</c>, <c>teams</c>, <c>local</c>), or one
    /// conversation as <c>platform:conversation id</c> (<c>slack:C0123ABCD</c>; patterns allowed).
    /// </summary>
    public string Channel { get; set; } = "*";

    /// <summary>Who may request a run: people, groups, <c>*</c>. Empty: nobody (an explicit deny).</summary>
    public List<string> Requesters { get; set; } = [];

    /// <summary>Who may approve, reject, and decide for a parked run: people, groups, <c>*</c>.</summary>
    public List<string> Approvers { get; set; } = [];

    /// <summary>Distinct approvers needed (M of N); null keeps <c>Gate:RequiredApprovals</c>, then the recipe's (1).</summary>
    public int? RequiredApprovals { get; set; }

    /// <summary>Whether the requester's own approval counts; null keeps <c>Gate:AllowSelfApproval</c>, then the recipe's (no).</summary>
    public bool? AllowSelfApproval { get; set; }

    /// <summary>How long a pending approval stays open; null keeps <c>Gate:ExpiresAfter</c>, then the recipe's (30 minutes).</summary>
    public TimeSpan? ExpiresAfter { get; set; }

    /// <summary>A line shown on the gate of runs this rule governs; null keeps <c>Gate:Note</c>.</summary>
    public string? Note { get; set; }
}
