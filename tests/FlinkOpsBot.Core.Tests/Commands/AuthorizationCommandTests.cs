using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Authorization;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Tests.Engine;
using FlinkOpsBot.Core.Timeline;

namespace FlinkOpsBot.Core.Tests.Commands;

/// <summary>
/// The command pipeline's authorize step against FlinkSim: only Ana may request upgrades on demo, two of @approvers
/// (Bo, Dee) must approve within ten minutes, Cy may do neither.
/// </summary>
public class AuthorizationCommandTests
{
    private const string Upgrade240 = "/flink upgrade orders-enricher --jar orders-enricher-2.4.0.jar";
    private static readonly Actor Ana = EngineHarness.Ana;
    private static readonly Actor Bo = EngineHarness.Bo;
    private static readonly Actor Cy = new("slack", "T1", "U3", "cy");
    private static readonly Actor Dee = new("slack", "T1", "U4", "dee");

    private static AuthorizationOptions Options() => new()
    {
        Groups = new(StringComparer.OrdinalIgnoreCase) { ["approvers"] = ["U2", "slack:T1:U4"] },
        Rules = [new() { Cluster = "demo", Recipe = "upgrade", Requesters = ["U1"], Approvers = ["@approvers"], RequiredApprovals = 2, ExpiresAfter = TimeSpan.FromMinutes(10) }],
    };

    private static Task<EngineHarness> StartAsync(AuthorizationOptions? options = null) =>
        EngineHarness.StartAsync(policy: new AuthorizationPolicy(options ?? Options(), new GatePolicy(), recipes: FlinkOpsBot.Core.Recipes.RecipeCatalog.LoadBuiltIn()));

    [Fact]
    public async Task Request_ByAPersonNoRuleAllows_IsRefusedSayingWhoMayAndStartsNothing()
    {
        await using var h = await StartAsync();

        var reply = await h.SayAsync(Upgrade240, Cy);

        Assert.False(reply.Accepted);
        Assert.Equal("Requesting upgrade on demo needs U1; that is not you. Nothing was started.", reply.Text);
        Assert.Empty(await h.Runs.ListRecentAsync(10, CancellationToken.None));
        Assert.Null(await h.Locks.GetAsync("demo", "orders-enricher", CancellationToken.None));
        Assert.DoesNotContain(h.Sim.Cluster.Calls.All, c => c.Method != "GET");
    }

    [Fact]
    public async Task Request_NoRuleCoversTheCluster_IsDeniedByDefault()
    {
        var options = Options();
        options.Rules[0].Cluster = "prod-eu";
        await using var h = await StartAsync(options);

        var reply = await h.SayAsync(Upgrade240, Ana);

        Assert.StartsWith("Nobody may request upgrade on demo from this Slack conversation: no rule in Authorization:Rules covers it", reply.Text);
        Assert.Empty(await h.Runs.ListRecentAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task Approve_RefusedDuringAnIncident_IsOnTheIncidentTimelineAndTheRunIsUnchanged()
    {
        await using var h = await StartAsync();
        await h.SayAsync("/flink incident start orders lag", Ana);
        var run = await h.DriveAsync((await h.StartUpgradeAsync(Upgrade240, Ana)).Id, r => r.State == RunState.AwaitingApproval);
        var events = (await h.Recorder.TimelineAsync(run, CancellationToken.None)).Count;

        var click = await h.Commands.HandleActionAsync(new ChatAction(run.Id, GateAction.Approve, Cy, EngineHarness.Channel), CancellationToken.None);

        Assert.False(click.Accepted);
        var incident = (await h.Incidents.GetOpenAsync(EngineHarness.Channel, CancellationToken.None))!.Value;
        var document = (await h.Timelines.IncidentDocumentAsync(incident.Id, CancellationToken.None))!;
        var refusal = Assert.Single(document.Entries, e => e.Kind == TimelineEventKind.Refusal);
        Assert.Equal(Cy.Key, refusal.Actor.Key);
        Assert.Equal(incident.Id.Value, refusal.Subject);
        Assert.Contains($"`approve {run.Id}`", refusal.Text, StringComparison.Ordinal);
        Assert.Contains("needs @approvers; you are not in it", refusal.Text, StringComparison.Ordinal);
        var after = await h.GetAsync(run.Id);
        Assert.Empty(after.Approvals);
        Assert.Equal(events, (await h.Recorder.TimelineAsync(after, CancellationToken.None)).Count);
        Assert.True((await h.Timelines.VerifyAsync(incident.Id.Value, CancellationToken.None))!.All(v => v.Intact));
    }

    [Fact]
    public async Task Approve_ByAPersonNotAmongTheApprovers_IsRefusedAndChangesNothing()
    {
        await using var h = await StartAsync();
        var run = await h.DriveAsync((await h.StartUpgradeAsync(Upgrade240, Ana)).Id, r => r.State == RunState.AwaitingApproval);
        var events = (await h.Recorder.TimelineAsync(run, CancellationToken.None)).Count;

        var click = await h.Commands.HandleActionAsync(new ChatAction(run.Id, GateAction.Approve, Cy, EngineHarness.Channel), CancellationToken.None);
        var typed = await h.SayAsync($"approve {run.Id}", Cy);
        var reject = await h.Commands.HandleActionAsync(new ChatAction(run.Id, GateAction.Reject, Cy, EngineHarness.Channel), CancellationToken.None);

        Assert.Equal($"Approving upgrade on demo ({run.Id}) needs @approvers; you are not in it.", click.Text);
        Assert.Equal(click.Text, typed.Text);
        Assert.Equal($"Rejecting upgrade on demo ({run.Id}) needs @approvers; you are not in it.", reject.Text);
        Assert.All([click, typed, reject], r => Assert.False(r.Accepted));
        var after = await h.GetAsync(run.Id);
        Assert.Equal(RunState.AwaitingApproval, after.State);
        Assert.Empty(after.Approvals);
        Assert.Null(after.Decline);
        Assert.Equal(events, (await h.Recorder.TimelineAsync(after, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Approve_TwoOfTheGroup_ReachesQuorumOnlyWithTwoDistinctPeople()
    {
        await using var h = await StartAsync();
        var run = await h.DriveAsync((await h.StartUpgradeAsync(Upgrade240, Ana)).Id, r => r.State == RunState.AwaitingApproval);

        var first = await h.SayAsync($"approve {run.Id}", Bo);
        var again = await h.SayAsync($"approve {run.Id}", Bo with { DisplayName = "Bo on his phone" });
        var second = await h.SayAsync($"approve {run.Id}", Dee);

        // Each approval names the plan it is for (docs/approval-and-plan.md).
        Assert.Equal($"{run.Id} approved by <@U2> (plan {run.Plan!.Hash}); 1 more approval(s) needed.", first.Text);
        Assert.Contains("You already approved", again.Text);
        Assert.StartsWith($"{run.Id} approved by <@U4> (plan {run.Plan.Hash})", second.Text, StringComparison.Ordinal);
        var approved = await h.GetAsync(run.Id);
        Assert.Equal(RunState.ConfirmingPlan, approved.State); // quorum reached: the plan is re-checked, then it executes
        Assert.Equal(["slack:T1:U2", "slack:T1:U4"], approved.Approvals.Select(a => a.Actor.Key));
    }

    [Fact]
    public async Task Gate_ExpiresWhenTheRuleSays()
    {
        await using var h = await StartAsync();
        var id = (await h.StartUpgradeAsync(Upgrade240, Ana)).Id;
        while ((await h.GetAsync(id)).State != RunState.AwaitingApproval)
        {
            // Tick by hand and stop the clock where the gate opens (DriveAsync would move it on to the gate's expiry).
            if (await h.Engine.TickAsync(id, CancellationToken.None) is { } next && (await h.GetAsync(id)).State != RunState.AwaitingApproval) h.Clock.AdvanceTo(next);
        }
        var gate = await h.GetAsync(id);
        var openedAt = h.Clock.GetUtcNow();

        h.Clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        await h.Engine.TickAsync(gate.Id, CancellationToken.None);
        Assert.Equal(RunState.AwaitingApproval, (await h.GetAsync(gate.Id)).State);
        var done = await h.DriveAsync(gate.Id);

        Assert.Equal(RunState.Expired, done.State);
        Assert.Equal(openedAt + TimeSpan.FromMinutes(10), done.EndedAt);
        Assert.Empty(done.Approvals);
    }

    public static readonly TheoryData<string, bool, bool> HelpViews = new()
    {
        // who → sees the upgrade recipe, sees approve/reject
        { "ana", true, false },
        { "bo", false, true },
        { "cy", false, false },
    };

    [Theory]
    [MemberData(nameof(HelpViews))]
    public async Task Help_ListsOnlyWhatTheAskerMayRunHere(string who, bool upgrade, bool approve)
    {
        await using var h = await StartAsync();
        var actor = who switch { "ana" => Ana, "bo" => Bo, _ => Cy };

        var help = (await h.SayAsync("help", actor)).Text;

        Assert.Equal(upgrade, help.Contains("`/flink upgrade", StringComparison.Ordinal));
        Assert.Equal(approve, help.Contains("`/flink approve|reject", StringComparison.Ordinal));
        Assert.Equal(upgrade, help.Contains("`/flink cancel R-XXXX` withdraw your own request", StringComparison.Ordinal));
        Assert.Equal(!upgrade, help.Contains("You may not start any recipe from here", StringComparison.Ordinal));
        Assert.Contains("`/flink status", help, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpOnARecipe_SaysWhoMayRequestIt()
    {
        await using var h = await StartAsync();

        Assert.Contains("You may request it here on: demo.", (await h.SayAsync("help upgrade", Ana)).Text);
        Assert.Contains("On demo: Requesting upgrade on demo needs U1; that is not you.", (await h.SayAsync("help upgrade", Cy)).Text);
    }

    [Fact]
    public async Task ReadOnlyCommands_FollowTheReadOnlyList()
    {
        var options = Options();
        options.ReadOnly = ["slack:T1:U1", "@approvers"];
        await using var h = await StartAsync(options);

        var refused = await h.SayAsync("runs", Cy);
        var allowed = await h.SayAsync("runs", Dee);

        Assert.Equal("Using FlinkOpsBot needs one of slack:T1:U1 or @approvers; you are not one of them.", refused.Text);
        Assert.False(refused.Accepted);
        Assert.True(allowed.Accepted, allowed.Text);
    }
}
