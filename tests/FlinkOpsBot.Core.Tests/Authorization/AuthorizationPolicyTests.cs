using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Authorization;
using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Clusters;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Lifecycle;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Tests.Lifecycle;
using FlinkOpsBot.Testing;

namespace FlinkOpsBot.Core.Tests.Authorization;

/// <summary>
/// Policy evaluation, table-driven: one realistic policy (named groups, a Slack user group, an Entra group, rules by
/// cluster, environment, recipe and channel) and who may request and approve under it.
/// </summary>
public class AuthorizationPolicyTests
{
    private const string Tenant = "72f988bf-86f1-41af-91ab-2d7cd011db47";
    private const string SreGroup = "c1d6c1a4-2b0e-4f4e-9b7a-0f5a3f3e9d11";

    private static readonly Actor Ana = new("slack", "T1", "U0ANA", "ana");            // in T1, not on call
    private static readonly Actor Oncall = new("slack", "T1", "U0ONCALL", "olga");     // on call by name
    private static readonly Actor Sre = new("slack", "T1", "U0SRE", "sam");            // on call through the Slack user group
    private static readonly Actor Eve = new("slack", "T2", "U0EVE", "eve");            // another workspace
    private static readonly Actor Tom = new("teams", Tenant, "0b5c5d1e-0000-4000-8000-000000000001", "tom");   // in the Entra SRE group
    private static readonly Actor Tia = new("teams", Tenant, "0b5c5d1e-0000-4000-8000-000000000002", "tia");   // in no group
    private static readonly Actor Lead = Tia with { Id = "0b5c5d1e-0000-4000-8000-000000000003", DisplayName = "lea", Upn = "lead@contoso.com" };
    private static readonly Actor Alice = new("local", "", "alice", "alice");
    private static readonly Actor Bob = new("local", "", "bob", "bob");

    private static readonly ChannelRef SlackOps = new("slack", "T1", "C0OPS");
    private static readonly ChannelRef SlackStaging = new("slack", "T1", "C0STAGING");
    private static readonly ChannelRef TeamsOps = new("teams", Tenant, "19:ops@thread.tacv2");

    private static AuthorizationOptions Options() => new()
    {
        Groups = new(StringComparer.OrdinalIgnoreCase)
        {
            ["oncall"] = ["U0ONCALL", "S0SREGROUP", "teams:" + Tenant + ":0b5c5d1e-0000-4000-8000-000000000001"],
            ["flink-oncall-approvers"] = ["@oncall", "entra-group:" + SreGroup, "lead@contoso.com"],
        },
        Rules =
        [
            new() { Requesters = ["@oncall", "slack:T1:*"], Approvers = ["@flink-oncall-approvers"] },                                   // 0
            new() { Cluster = "prod-eu", Recipe = "upgrade", Requesters = ["@oncall"], Approvers = ["@flink-oncall-approvers"],
                    RequiredApprovals = 2, ExpiresAfter = TimeSpan.FromMinutes(15) },                                                     // 1
            new() { Cluster = "prod-*", Recipe = "upgrade", Channel = "teams", Requesters = ["*"], Approvers = ["U0LEAD"] },              // 2
            new() { Cluster = "staging", Channel = "slack:C0STAGING" },                                                                   // 3: explicit deny
            new() { Environment = "cmf-prod", Requesters = ["local::alice"], Approvers = ["local::bob"], AllowSelfApproval = true },    // 4
        ],
    };

    private static readonly ClusterDirectory Clusters = new(
        new[] { "demo", "prod-eu", "prod-us", "staging" }.Select(n => new ClusterDefinition(n, ClusterDefinition.FlinkRest, new Uri("http://127.0.0.1:1")))
            .Append(new ClusterDefinition("cmf-1", "cmf", new Uri("http://127.0.0.1:2"), Environment: "cmf-prod")),
        _ => throw new NotSupportedException("no cluster calls in policy tests"), "demo");

    private static (AuthorizationPolicy Policy, FakeGroupDirectory Slack, FakeGroupDirectory Entra) NewPolicy(GatePolicy? gate = null, AuthorizationOptions? options = null,
        string? slackFailure = null)
    {
        var slack = new FakeGroupDirectory("slack", new() { ["S0SREGROUP"] = ["U0SRE"] }, slackFailure);
        var entra = new FakeGroupDirectory("teams", new() { [SreGroup] = [Tom.Id] });
        return (new AuthorizationPolicy(options ?? Options(), gate ?? new GatePolicy(), Clusters, RecipeCatalog.LoadBuiltIn(), [slack, entra]), slack, entra);
    }

    private static readonly Dictionary<string, Actor> People = new()
    {
        ["ana"] = Ana, ["olga"] = Oncall, ["sam"] = Sre, ["eve"] = Eve, ["tom"] = Tom, ["tia"] = Tia, ["lea"] = Lead, ["alice"] = Alice, ["bob"] = Bob,
        ["system"] = Actor.System, ["olga's name on someone else"] = Ana with { DisplayName = "olga" },
    };

    private static readonly Dictionary<string, ChannelRef> Channels = new()
    {
        ["slack"] = SlackOps, ["slack-staging"] = SlackStaging, ["teams"] = TeamsOps, ["local"] = ChannelRef.LocalShell,
    };

    public static readonly TheoryData<string, string, string, string, string?> Requests = new()
    {
        // who, cluster, recipe, channel → null when allowed, else a piece of the refusal
        { "ana", "demo", "upgrade", "slack", null },                                                                   // rule 0: anyone in T1
        { "eve", "demo", "upgrade", "slack", "Requesting upgrade on demo needs one of @oncall or slack:T1:*; you are not one of them." },
        { "ana", "prod-eu", "upgrade", "slack", "Requesting upgrade on prod-eu needs @oncall; you are not in it." },  // rule 1 beats rule 0
        { "olga", "prod-eu", "upgrade", "slack", null },                                                               // named group, by Slack id
        { "sam", "prod-eu", "upgrade", "slack", null },                                                                // named group → Slack user group
        { "tom", "prod-eu", "upgrade", "teams", null },                                                                // named group, by identity key
        { "tia", "prod-eu", "upgrade", "teams", "needs @oncall; you are not in it." },                                 // rule 1 and rule 2 tie: the first listed wins
        { "tia", "prod-us", "upgrade", "teams", null },                                                                // rule 2: prod-* from Teams, anyone
        { "ana", "staging", "upgrade", "slack-staging", "Nobody may request upgrade on staging from this Slack conversation (rule Authorization:Rules:3 names no requesters)." },
        { "ana", "staging", "upgrade", "slack", null },                                                                // the deny is for one conversation only
        { "alice", "cmf-1", "upgrade", "local", null },                                                                // rule 4 by CMF environment
        { "bob", "cmf-1", "upgrade", "local", "Requesting upgrade on cmf-1 needs local::alice; that is not you." },
        { "system", "demo", "upgrade", "slack", "you are not one of them" },                                           // * and patterns never match the bot itself
        { "olga's name on someone else", "prod-eu", "upgrade", "slack", "you are not in it" },                        // display names never count
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task MayRequest_FollowsTheMostSpecificRule(string who, string cluster, string recipe, string channel, string? refusal)
    {
        var (policy, _, _) = NewPolicy();

        var decision = await policy.MayRequestAsync(People[who], cluster, recipe, Channels[channel], CancellationToken.None);

        if (refusal is null) Assert.True(decision.Allowed, decision.Reason);
        else Assert.Contains(refusal, Assert.IsType<string>(decision.Reason));
        Assert.Equal(refusal is null, decision.Allowed);
    }

    [Fact]
    public async Task MayRequest_NoRuleCoversAMutatingRecipe_IsDeniedByDefaultAndSaysWhoCanFixIt()
    {
        var (policy, _, _) = NewPolicy(options: new AuthorizationOptions { Rules = [new() { Cluster = "prod-eu", Requesters = ["*"], Approvers = ["*"] }] });

        var decision = await policy.MayRequestAsync(Ana, "demo", "upgrade", SlackOps, CancellationToken.None);

        Assert.False(decision.Allowed);
        Assert.Equal("Nobody may request upgrade on demo from this Slack conversation: no rule in Authorization:Rules covers it, and changes are denied by default. " +
            "An admin of the bot can add one (docs/authorization.md).", decision.Reason);
    }

    [Fact]
    public async Task MayRequest_OtherMutatingCommandNoRuleNames_IsDenied() =>
        Assert.False((await NewPolicy(options: new AuthorizationOptions()).Policy.MayRequestAsync(Ana, "demo", "lock", SlackOps, CancellationToken.None)).Allowed);

    public static readonly TheoryData<string, string, string, bool> Reads = new()
    {
        { "", "ana", "slack", true },                  // default: anyone verified
        { "", "system", "slack", false },
        { "@oncall", "ana", "slack", false },
        { "@oncall", "sam", "slack", true },
        { "slack:T1:*", "eve", "slack", false },
        { "local::*", "alice", "local", true },
    };

    [Theory]
    [MemberData(nameof(Reads))]
    public async Task MayRead_DefaultsToAnyoneVerified(string readers, string who, string channel, bool allowed)
    {
        var options = Options();
        if (readers.Length > 0) options.ReadOnly = [readers];

        var decision = await NewPolicy(options: options).Policy.MayReadAsync(People[who], Channels[channel], CancellationToken.None);

        Assert.Equal(allowed, decision.Allowed);
    }

    public static readonly TheoryData<string, string, string, string?> Approvals = new()
    {
        // who approves a run on cluster from channel → null when allowed, else the refusal's end
        { "olga", "prod-eu", "slack", null },       // @flink-oncall-approvers → @oncall → U0ONCALL
        { "sam", "prod-eu", "slack", null },        // → @oncall → Slack user group S0SREGROUP
        { "tom", "prod-eu", "teams", null },        // → Entra group (and @oncall by key)
        { "lea", "prod-eu", "teams", null },        // → UPN, verified by the adapter
        { "tia", "prod-eu", "teams", "needs @flink-oncall-approvers; you are not in it." },
        { "ana", "prod-eu", "slack", "needs @flink-oncall-approvers; you are not in it." },
        { "ana", "prod-us", "teams", "needs U0LEAD; that is not you." },
        { "bob", "cmf-1", "local", null },
        { "alice", "cmf-1", "local", "needs local::bob; that is not you." },
    };

    [Theory]
    [MemberData(nameof(Approvals))]
    public async Task GateApproval_FollowsTheRulesApproversThroughGroups(string who, string cluster, string channel, string? refusal)
    {
        var (policy, _, _) = NewPolicy();
        var run = AwaitingRun(policy, cluster, Channels[channel]);

        var actor = People[who];
        var reason = GateRules.Refusal(run, actor, GateAction.Approve, await policy.MatchAsync(actor, run.Gate!.Approvers, CancellationToken.None));

        if (refusal is null) Assert.Null(reason);
        else Assert.EndsWith(refusal, reason);
        Assert.Equal(refusal is null, (await policy.MayApproveAsync(actor, cluster, "upgrade", Channels[channel], CancellationToken.None)).Allowed);
    }

    [Fact]
    public async Task GateApproval_Refusal_SaysWhoMayAndThatTheActorIsNotInIt()
    {
        var (policy, _, _) = NewPolicy();
        var run = AwaitingRun(policy, "prod-eu", SlackOps);

        var reason = GateRules.Refusal(run, Ana, GateAction.Approve, await policy.MatchAsync(Ana, run.Gate!.Approvers, CancellationToken.None));

        Assert.Equal($"Approving upgrade on prod-eu ({run.Id}) needs @flink-oncall-approvers; you are not in it.", reason);
    }

    [Fact]
    public async Task GateApproval_GroupLookupFails_CountsAsNoAndSaysWhy()
    {
        var (policy, _, _) = NewPolicy(slackFailure: "Slack said missing_scope (needed: usergroups:read)");
        var run = AwaitingRun(policy, "prod-eu", SlackOps);

        var reason = GateRules.Refusal(run, Sre, GateAction.Approve, await policy.MatchAsync(Sre, run.Gate!.Approvers, CancellationToken.None));

        Assert.Equal($"Approving upgrade on prod-eu ({run.Id}) needs @flink-oncall-approvers; you are not in it. " +
            "Group membership could not be checked (Slack said missing_scope (needed: usergroups:read)), so it counts as no.", reason);
    }

    [Fact]
    public async Task GateApproval_UpnTypedAsDisplayName_DoesNotCount()
    {
        var (policy, _, _) = NewPolicy();
        var run = AwaitingRun(policy, "prod-eu", TeamsOps);
        var impostor = Tia with { DisplayName = "lead@contoso.com" };

        Assert.NotNull(GateRules.Refusal(run, impostor, GateAction.Approve, await policy.MatchAsync(impostor, run.Gate!.Approvers, CancellationToken.None)));
    }

    public static readonly TheoryData<string, int, bool, int> Gates = new()
    {
        // cluster → required approvals, self-approval, lifetime in minutes
        { "prod-eu", 2, false, 15 },   // rule 1 sets quorum and expiry
        { "demo", 3, false, 45 },      // rule 0 sets nothing: the Gate section's defaults
        { "cmf-1", 3, true, 45 },      // rule 4 allows self-approval
    };

    [Theory]
    [MemberData(nameof(Gates))]
    public void OpenGate_TakesTheRuleThenTheGateSectionThenTheRecipe(string cluster, int required, bool self, int minutes)
    {
        var (policy, _, _) = NewPolicy(new GatePolicy { RequiredApprovals = 3, ExpiresAfter = TimeSpan.FromMinutes(45) });
        var now = new DateTimeOffset(2026, 1, 15, 9, 0, 0, TimeSpan.Zero);
        var run = RunOn(cluster, cluster == "cmf-1" ? ChannelRef.LocalShell : SlackOps);

        var gate = policy.OpenGate(run, new GateSpec(), now);

        Assert.Equal((required, self, now.AddMinutes(minutes)), (gate.RequiredApprovals, gate.AllowSelfApproval, gate.ExpiresAt));
    }

    [Fact]
    public void OpenGate_NoRuleAndNoGateApprovers_NamesNobodyRatherThanEveryone()
    {
        var (policy, _, _) = NewPolicy(options: new AuthorizationOptions());

        var gate = policy.OpenGate(RunOn("demo", SlackOps), new GateSpec(), DateTimeOffset.UnixEpoch);

        Assert.NotNull(GateRules.Refusal(new Run { Id = RunId.New(), RecipeId = "upgrade", Cluster = "demo", JobName = "j", Inputs = [], Requester = Ana, Origin = SlackOps,
            CreatedAt = DateTimeOffset.UnixEpoch, State = RunState.AwaitingApproval, Gate = gate }, Oncall, GateAction.Approve));
    }

    public static readonly TheoryData<string[], bool, int> Quorums = new()
    {
        // approvers in order (the requester is olga), self-approval → counted
        { ["sam", "tom"], false, 2 },                    // two people on two platforms count as two
        { ["sam", "sam's other click"], false, 1 },     // the same identity twice counts once
        { ["olga", "sam"], false, 1 },                   // the requester does not count...
        { ["olga", "sam"], true, 2 },                    // ...unless the rule allows self-approval
    };

    [Theory]
    [MemberData(nameof(Quorums))]
    public void Quorum_CountsDistinctVerifiedApprovers(string[] approvers, bool selfApproval, int counted)
    {
        var people = new Dictionary<string, Actor>(People) { ["sam's other click"] = Sre with { DisplayName = "Sam (mobile)" } };
        var run = RunOn("prod-eu", SlackOps, requester: Oncall);
        run.Gate = new GateSnapshot(2, selfApproval, ["@flink-oncall-approvers"], DateTimeOffset.MaxValue, null);
        foreach (var who in approvers) run.Approvals.Add(new Approval(people[who], DateTimeOffset.UnixEpoch));

        Assert.Equal(counted, RunLifecycle.CountedApprovals(run));
        Assert.Equal(counted >= 2, RunLifecycle.HasQuorum(run));
    }

    [Fact]
    public async Task GroupLookups_AreCachedForFiveMinutes()
    {
        var clock = new ManualTimeProvider();
        var slack = new FakeGroupDirectory("slack", new() { ["S0SREGROUP"] = ["U0SRE"] });
        var policy = new AuthorizationPolicy(Options(), new GatePolicy(), Clusters, directories: [new CachingGroupDirectory(slack, clock)]);

        for (var i = 0; i < 3; i++) Assert.True((await policy.MayRequestAsync(Sre, "prod-eu", "upgrade", SlackOps, CancellationToken.None)).Allowed);
        clock.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));
        Assert.True((await policy.MayRequestAsync(Sre, "prod-eu", "upgrade", SlackOps, CancellationToken.None)).Allowed);

        Assert.Equal(2, slack.Lookups);
    }

    [Fact]
    public async Task SlackGroups_AreNotAskedAboutTeamsPeople()
    {
        var (policy, slack, _) = NewPolicy();

        Assert.False((await policy.MayRequestAsync(Tia, "prod-eu", "upgrade", TeamsOps, CancellationToken.None)).Allowed);

        Assert.Equal(0, slack.Lookups);
    }

    private static Run RunOn(string cluster, ChannelRef origin, Actor? requester = null) => new()
    {
        Id = RunId.New(),
        RecipeId = "upgrade",
        Cluster = cluster,
        JobName = "orders-enricher",
        Inputs = [],
        Requester = requester ?? new Actor("slack", "T1", "U0REQ", "requester"),
        Origin = origin,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    private static Run AwaitingRun(AuthorizationPolicy policy, string cluster, ChannelRef origin)
    {
        var run = RunOn(cluster, origin);
        run.State = RunState.AwaitingApproval;
        run.Gate = policy.OpenGate(run, new GateSpec(), DateTimeOffset.UnixEpoch);
        return run;
    }
}
