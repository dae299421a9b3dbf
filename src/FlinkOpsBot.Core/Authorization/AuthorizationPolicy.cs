using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Clusters;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Runs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace FlinkOpsBot.Core.Authorization;

/// <summary>An authorization answer: allowed, or refused with a plain reason that says who may instead.</summary>
/// <param name="Allowed">True when the actor may go ahead.</param>
/// <param name="Reason">Why not (one or two plain sentences, no markup); null when allowed.</param>
public sealed record AccessDecision(bool Allowed, string? Reason)
{
    /// <summary>Allowed.</summary>
    public static AccessDecision Allow { get; } = new(true, null);

    /// <summary>Refused, for <paramref name="reason"/>.</summary>
    public static AccessDecision Deny(string reason) => new(false, reason);
}

/// <summary>
/// The entries of a "who" list that name an actor (directly or through a group), and why a group could not be checked.
/// </summary>
/// <param name="Matched">The entries, as configured, that name the actor.</param>
/// <param name="Problems">Group lookups that failed (the actor then counts as not a member); plain sentences.</param>
public sealed record PrincipalMatch(IReadOnlySet<string> Matched, IReadOnlyList<string> Problems)
{
    /// <summary>Nothing matched, nothing failed.</summary>
    public static PrincipalMatch None { get; } = new(new HashSet<string>(), []);

    /// <summary>True when at least one entry names the actor.</summary>
    public bool Any => Matched.Count > 0;
}

/// <summary>
/// Decides who may request and who may approve, per cluster (and CMF environment) × recipe × channel. Decisions use
/// verified identities only (<see cref="Actor.Key"/>, the Slack or Entra id, a UPN the adapter verified), never display
/// names. Other command families (e.g. locks) ask it with their own action name as <c>recipe</c>.
/// </summary>
public interface IAuthorizationPolicy
{
    /// <summary>
    /// May <paramref name="actor"/> request <paramref name="recipe"/> (a recipe id, or another mutating command such as
    /// <c>lock</c>) on <paramref name="cluster"/> from <paramref name="channel"/>? Mutating work no rule covers is refused;
    /// a non-mutating recipe no rule covers is allowed to whoever may read.
    /// </summary>
    Task<AccessDecision> MayRequestAsync(Actor actor, string cluster, string recipe, ChannelRef channel, CancellationToken cancellationToken);

    /// <summary>May <paramref name="actor"/> approve <paramref name="recipe"/> on <paramref name="cluster"/> requested from <paramref name="channel"/>, by the rule that covers it?</summary>
    Task<AccessDecision> MayApproveAsync(Actor actor, string cluster, string recipe, ChannelRef channel, CancellationToken cancellationToken);

    /// <summary>May <paramref name="actor"/> use the read-only commands (help, status, runs, timeline) in <paramref name="channel"/>?</summary>
    Task<AccessDecision> MayReadAsync(Actor actor, ChannelRef channel, CancellationToken cancellationToken);

    /// <summary>Which of <paramref name="entries"/> (a gate's approvers) name <paramref name="actor"/>, through groups too.</summary>
    Task<PrincipalMatch> MatchAsync(Actor actor, IReadOnlyCollection<string> entries, CancellationToken cancellationToken);

    /// <summary>
    /// Opens the gate of <paramref name="run"/> at <paramref name="now"/> under the rule that covers it: approvers,
    /// quorum, self-approval, expiry and note (rule, else the <c>Gate</c> section, else the recipe's <paramref name="recipeGate"/>).
    /// </summary>
    GateSnapshot OpenGate(Run run, GateSpec recipeGate, DateTimeOffset now);
}

/// <summary>
/// The configured <see cref="IAuthorizationPolicy"/>: rules from <see cref="AuthorizationOptions"/>, gate defaults from
/// <see cref="GatePolicy"/>, platform groups from the <see cref="IGroupDirectory"/> of each platform.
/// </summary>
public sealed partial class AuthorizationPolicy : IAuthorizationPolicy
{
    private readonly AuthorizationOptions _options;
    private readonly GatePolicy _defaults;
    private readonly IClusterDirectory? _clusters;
    private readonly RecipeCatalog? _recipes;
    private readonly Dictionary<string, IGroupDirectory> _directories;
    private readonly ILogger _logger;

    /// <summary>Creates the policy. <paramref name="clusters"/> gives clusters' CMF environments; <paramref name="recipes"/> tells mutating recipes apart (unknown names count as mutating).</summary>
    public AuthorizationPolicy(AuthorizationOptions options, GatePolicy defaults, IClusterDirectory? clusters = null, RecipeCatalog? recipes = null,
        IEnumerable<IGroupDirectory>? directories = null, ILogger<AuthorizationPolicy>? logger = null)
    {
        _options = options;
        _defaults = defaults;
        _clusters = clusters;
        _recipes = recipes;
        _directories = (directories ?? []).ToDictionary(d => d.Platform, StringComparer.Ordinal);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// A policy under which every verified person may request anything anywhere and approve per <paramref name="gate"/>
    /// (its <see cref="GatePolicy.Approvers"/>, or anyone verified when it lists none): local mode and tests.
    /// </summary>
    public static AuthorizationPolicy AllowEveryone(GatePolicy? gate = null, RecipeCatalog? recipes = null)
    {
        gate ??= new GatePolicy();
        var options = new AuthorizationOptions
        {
            Rules = [new AuthorizationRule { Requesters = ["*"], Approvers = gate.Approvers.Count == 0 ? ["*"] : gate.Approvers.ToList() }],
        };
        return new AuthorizationPolicy(options, gate, recipes: recipes);
    }

    /// <summary>The policy's configuration.</summary>
    public AuthorizationOptions Options => _options;

    /// <inheritdoc />
    public async Task<AccessDecision> MayRequestAsync(Actor actor, string cluster, string recipe, ChannelRef channel, CancellationToken cancellationToken)
    {
        var found = Find(cluster, recipe, channel);
        if (found is not { } match)
        {
            if (_recipes?.Find(recipe) is { Mutating: false }) return await MayReadAsync(actor, channel, cancellationToken);
            return AccessDecision.Deny($"Nobody may request {recipe} on {cluster} from {Where(channel)}: no rule in Authorization:Rules covers it, and changes are denied by default. " +
                "An admin of the bot can add one (docs/authorization.md).");
        }
        var rule = match.Rule;
        if (rule.Requesters.Count == 0)
        {
            return AccessDecision.Deny($"Nobody may request {recipe} on {cluster} from {Where(channel)} (rule Authorization:Rules:{match.Index} names no requesters).{Elsewhere(cluster, recipe, channel)}");
        }
        var who = await MatchAsync(actor, rule.Requesters, cancellationToken);
        return who.Any ? AccessDecision.Allow : AccessDecision.Deny($"Requesting {recipe} on {cluster} needs {Needs(rule.Requesters)}; {NotAmong(rule.Requesters)}.{Problems(who)}");
    }

    /// <inheritdoc />
    public async Task<AccessDecision> MayApproveAsync(Actor actor, string cluster, string recipe, ChannelRef channel, CancellationToken cancellationToken)
    {
        if (Find(cluster, recipe, channel) is not { } match)
        {
            return AccessDecision.Deny($"Nobody may approve {recipe} on {cluster} from {Where(channel)}: no rule in Authorization:Rules covers it.");
        }
        var who = await MatchAsync(actor, match.Rule.Approvers, cancellationToken);
        return who.Any ? AccessDecision.Allow : AccessDecision.Deny(ApproverRefusal($"Approving {recipe} on {cluster}", match.Rule.Approvers, who));
    }

    /// <inheritdoc />
    public async Task<AccessDecision> MayReadAsync(Actor actor, ChannelRef channel, CancellationToken cancellationToken)
    {
        var readers = _options.ReadOnly.Count == 0 ? (IReadOnlyCollection<string>)["*"] : _options.ReadOnly;
        var who = await MatchAsync(actor, readers, cancellationToken);
        return who.Any ? AccessDecision.Allow : AccessDecision.Deny($"Using FlinkOpsBot needs {Needs(readers)}; {NotAmong(readers)}.{Problems(who)}");
    }

    /// <inheritdoc />
    public async Task<PrincipalMatch> MatchAsync(Actor actor, IReadOnlyCollection<string> entries, CancellationToken cancellationToken)
    {
        var parsed = entries.Select(e => (Entry: e, Principal: Principal.Parse(e ?? ""))).ToList();
        var matched = new HashSet<string>(StringComparer.Ordinal);
        // Expand each entry into the people and platform groups it stands for (named groups, recursively).
        var expansions = parsed.Select(p => (p.Entry, Members: Expand(p.Principal, new HashSet<string>(StringComparer.OrdinalIgnoreCase)))).ToList();
        foreach (var (entry, members) in expansions)
        {
            if (members.Any(m => m.MatchesDirectly(actor))) matched.Add(entry);
        }
        var problems = new List<string>();
        var groupKind = actor.Platform switch { "slack" => PrincipalKind.SlackGroup, "teams" => PrincipalKind.EntraGroup, _ => (PrincipalKind?)null };
        var groups = groupKind is { } kind
            ? expansions.Where(e => !matched.Contains(e.Entry)).SelectMany(e => e.Members).Where(m => m.Kind == kind).Select(m => m.Id).Distinct(StringComparer.Ordinal).ToList()
            : [];
        if (groups.Count > 0)
        {
            IReadOnlySet<string> memberOf = new HashSet<string>();
            if (!_directories.TryGetValue(actor.Platform, out var directory))
            {
                problems.Add(actor.Platform == "slack"
                    ? "Slack user groups cannot be checked: Slack's group lookup is not configured (Slack:BotToken with the usergroups:read scope)."
                    : "Entra groups cannot be checked: the Microsoft Graph lookup is not configured (docs/authorization.md).");
            }
            else
            {
                try
                {
                    memberOf = await directory.MemberOfAsync(actor, groups, cancellationToken);
                }
                catch (GroupLookupException e)
                {
                    LogLookupFailed(_logger, actor.Key, e.Message);
                    problems.Add($"Group membership could not be checked ({e.Message}), so it counts as no.");
                }
            }
            foreach (var (entry, members) in expansions)
            {
                if (members.Any(m => m.Kind == groupKind && memberOf.Contains(m.Id))) matched.Add(entry);
            }
        }
        return new PrincipalMatch(matched, problems);
    }

    /// <inheritdoc />
    public GateSnapshot OpenGate(Run run, GateSpec recipeGate, DateTimeOffset now)
    {
        var rule = Find(run.Cluster, run.RecipeId, run.Origin)?.Rule;
        var legacy = _defaults.Approvers.Where(a => !string.IsNullOrWhiteSpace(a)).ToList();
        IReadOnlyList<string> approvers = rule is not null ? rule.Approvers.ToList()
            : legacy.Count > 0 ? legacy
            : [$"nobody (no rule in Authorization:Rules covers {run.RecipeId} on {run.Cluster})"];
        var note = rule?.Note ?? _defaults.Note;
        return new GateSnapshot(
            rule?.RequiredApprovals ?? _defaults.RequiredApprovals ?? recipeGate.Approvals,
            rule?.AllowSelfApproval ?? _defaults.AllowSelfApproval ?? recipeGate.SelfApproval,
            approvers,
            now + (rule?.ExpiresAfter ?? _defaults.ExpiresAfter ?? recipeGate.Lifetime),
            string.IsNullOrWhiteSpace(note) ? null : note);
    }

    /// <summary>
    /// The rule that covers <paramref name="recipe"/> on <paramref name="cluster"/> from <paramref name="channel"/>: the most
    /// specific match, the first listed among equals; null when none does.
    /// </summary>
    public (AuthorizationRule Rule, int Index)? Find(string cluster, string recipe, ChannelRef channel)
    {
        var environment = _clusters?.Find(cluster)?.Environment;
        (AuthorizationRule Rule, int Index)? best = null;
        var bestScore = -1;
        for (var i = 0; i < _options.Rules.Count; i++)
        {
            var rule = _options.Rules[i];
            if (!Principal.Glob(rule.Cluster, cluster, ignoreCase: true) || !Principal.Glob(rule.Recipe, recipe, ignoreCase: true)) continue;
            if (rule.Environment != "*" && (environment is null || !Principal.Glob(rule.Environment, environment, ignoreCase: true))) continue;
            if (!ChannelMatches(rule.Channel, channel)) continue;
            var score = Specificity(rule.Cluster) + Specificity(rule.Environment) + Specificity(rule.Recipe) + ChannelSpecificity(rule.Channel);
            if (score > bestScore)
            {
                best = (rule, i);
                bestScore = score;
            }
        }
        return best;
    }

    /// <summary>
    /// "Approving upgrade on prod-eu needs @flink-oncall-approvers; you are not in it." for an actor
    /// <paramref name="who"/> does not match, with any failed group lookup after it.
    /// </summary>
    public static string ApproverRefusal(string doing, IReadOnlyCollection<string> approvers, PrincipalMatch who) =>
        $"{doing} needs {Needs(approvers)}; {NotAmong(approvers)}.{Problems(who)}";

    /// <summary>Who a list names, for a refusal: <c>@oncall</c>, <c>@oncall or U024BE7LH</c>, <c>anyone verified</c>.</summary>
    public static string Needs(IReadOnlyCollection<string> entries)
    {
        var shown = entries.Select(e => Principal.Parse(e ?? "").Shown).ToList();
        return shown.Count switch
        {
            0 => "nobody",
            1 => shown[0],
            _ => "one of " + string.Join(", ", shown.Take(shown.Count - 1)) + " or " + shown[^1],
        };
    }

    private static string NotAmong(IReadOnlyCollection<string> entries) =>
        entries.Count == 1 && Principal.Parse(entries.First() ?? "").Kind is PrincipalKind.NamedGroup or PrincipalKind.SlackGroup or PrincipalKind.EntraGroup
            ? "you are not in it"
            : entries.Count == 1 ? "that is not you" : "you are not one of them";

    private static string Problems(PrincipalMatch who) => who.Problems.Count == 0 ? "" : " " + string.Join(" ", who.Problems);

    private string Elsewhere(string cluster, string recipe, ChannelRef channel)
    {
        var others = _options.Rules
            .Where(r => r.Requesters.Count > 0 && r.Channel != "*" && !ChannelMatches(r.Channel, channel)
                && Principal.Glob(r.Cluster, cluster, ignoreCase: true) && Principal.Glob(r.Recipe, recipe, ignoreCase: true))
            .Select(r => r.Channel).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return others.Count == 0 ? "" : $" It may be requested from {string.Join(", ", others)}.";
    }

    private static string Where(ChannelRef channel) => channel.Platform switch
    {
        "local" => "the local shell",
        var p => $"this {(p == "teams" ? "Teams" : "Slack")} conversation",
    };

    private List<Principal> Expand(Principal principal, HashSet<string> seen)
    {
        if (principal.Kind != PrincipalKind.NamedGroup) return [principal];
        if (!seen.Add(principal.Id) || !_options.Groups.TryGetValue(principal.Id, out var members)) return [];
        return members.SelectMany(m => Expand(Principal.Parse(m ?? ""), seen)).ToList();
    }

    private static bool ChannelMatches(string pattern, ChannelRef channel)
    {
        if (pattern == "*") return true;
        if (!pattern.Contains(':', StringComparison.Ordinal)) return string.Equals(pattern, channel.Platform, StringComparison.OrdinalIgnoreCase);
        return Principal.Glob(pattern, $"{channel.Platform}:{channel.ConversationId}", ignoreCase: true);
    }

    private static int Specificity(string pattern) => pattern == "*" ? 0 : pattern.Contains('*', StringComparison.Ordinal) ? 1 : 2;

    // A platform is less specific than one conversation of it.
    private static int ChannelSpecificity(string pattern) => pattern == "*" ? 0 : pattern.Contains(':', StringComparison.Ordinal) ? 1 + Specificity(pattern) : 1;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Group lookup for {Actor} failed: {Problem}")]
    private static partial void LogLookupFailed(ILogger logger, string actor, string problem);
}
