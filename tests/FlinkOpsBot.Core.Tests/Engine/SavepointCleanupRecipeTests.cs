using System.Net.Http.Json;
using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Steps;
using FlinkOpsBot.Core.Storage;

namespace FlinkOpsBot.Core.Tests.Engine;

/// <summary>
/// The savepoint-cleanup recipe (keep the newest N savepoints of a CMF application, delete the rest) end to end
/// against FlinkSim's CMF surface over HTTP, and <c>/flink savepoints</c> on CMF.
/// </summary>
public class SavepointCleanupRecipeTests
{
    private const string Env = "demo-env";
    private const string App = "orders-enricher";

    // The CMF demo already has orders-enricher-nightly (1 h old); these make five in all, newest first:
    // nightly (1 h), sp-2h, sp-3h, sp-4h, sp-5h.
    private static void SeedOlderSavepoints(EngineHarness h)
    {
        foreach (var hours in new[] { 2, 3, 4, 5 })
        {
            h.Sim.Cluster.Cmf.AddCompletedSavepoint(Env, App, $"sp-{hours}h", TimeSpan.FromHours(hours));
        }
    }

    private static async Task<IReadOnlyList<string>> NamesAsync(EngineHarness h) =>
        [.. (await h.CmfPlatform!.ListSavepointsAsync(App, CancellationToken.None))!.Select(s => s.Name)];

    private static string Cleanup(string extra = "") => $"/flink savepoint-cleanup {App} --cluster {EngineHarness.CmfCluster}{extra}";

    [Fact]
    public async Task Cleanup_KeepTwo_ShowsThePlanDeletesExactlyTheOlderOnesAndValidates()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);
        SeedOlderSavepoints(h);
        // The bot's savepoint ledger knows sp-4h (as if an earlier run of the bot had taken it, by its trigger id).
        var sp4 = (await h.CmfPlatform!.ListSavepointsAsync(App, CancellationToken.None))!.Single(s => s.Name == "sp-4h");
        await h.Savepoints.RecordAsync(new SavepointRecord(EngineHarness.CmfCluster, App, "0123456789abcdef0123456789abcdef", "5f3a9c0e5f3a9c0e5f3a9c0e5f3a9c0e",
            sp4.Path, SavepointKind.Savepoint, null, sp4.CreatedAt!.Value), CancellationToken.None);

        var run = await h.StartUpgradeAsync(Cleanup(" --keep 2"));
        var gate = await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval || r.State.IsTerminal());

        Assert.True(gate.State == RunState.AwaitingApproval, gate.Summary);
        var plan = Assert.Single(gate.Preconditions);
        Assert.Equal(CheckOutcome.Pass, plan.Outcome);
        Assert.Contains("3 to delete (not restorable afterwards), 2 kept", plan.Evidence, StringComparison.Ordinal);
        Assert.Contains("• delete sp-5h COMPLETED, 5 h ago, source", plan.Evidence, StringComparison.Ordinal);
        Assert.Contains("• keep orders-enricher-nightly COMPLETED, 1 h ago", plan.Evidence, StringComparison.Ordinal);
        Assert.Contains("(among the newest 2; newest completed)", plan.Evidence, StringComparison.Ordinal);
        Assert.Contains("s3://", plan.Evidence, StringComparison.Ordinal);
        Assert.Equal("sp-3h,sp-4h,sp-5h", gate.Vars[RetentionVars.Delete]);

        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.True(done.State == RunState.Succeeded, done.Summary);
        Assert.Equal(["orders-enricher-nightly", "sp-2h"], await NamesAsync(h));
        Assert.Equal("sp-3h,sp-4h,sp-5h", done.Vars[RetentionVars.Deleted]);
        var marked = Assert.Single(await h.Savepoints.ListAsync(EngineHarness.CmfCluster, App, 10, CancellationToken.None));
        Assert.Equal("5f3a9c0e5f3a9c0e5f3a9c0e5f3a9c0e", marked.Name);
        Assert.NotNull(marked.DeletedAt); // found by its path: --from last-savepoint will not offer it again
        var deletes = h.Sim.Cluster.Calls.All.Where(c => c.Method == "DELETE").Select(c => c.Path).ToList();
        Assert.Equal(3, deletes.Count);
        Assert.All(deletes, path => Assert.Contains($"/applications/{App}/savepoints/sp-", path, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Cleanup_FewerThanKeep_EndsBeforeTheGateSayingNothingToDelete()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);

        var run = await h.StartUpgradeAsync(Cleanup());
        var done = await h.DriveAsync(run.Id);

        Assert.Equal(RunState.PreconditionsFailed, done.State);
        var plan = Assert.Single(done.Preconditions);
        Assert.Equal(CheckOutcome.Fail, plan.Outcome);
        Assert.StartsWith("nothing to delete: 1 savepoint(s) of orders-enricher in the cmf catalog; keeping the newest 5", plan.Evidence, StringComparison.Ordinal);
        Assert.Null(done.Gate);
        Assert.DoesNotContain(h.Sim.Cluster.Calls.All, c => c.Method == "DELETE");
        Assert.Equal(["orders-enricher-nightly"], await NamesAsync(h));
    }

    [Fact]
    public async Task Cleanup_DeleteRefused_FailsNamingItAndDeletesNothingAfterIt()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);
        SeedOlderSavepoints(h);
        h.Sim.Cluster.Cmf.RefuseSavepointDelete("sp-4h");

        var run = await h.StartUpgradeAsync(Cleanup(" --keep 2"));
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.Equal(RunState.Failed, done.State);
        Assert.Contains("refused to delete savepoint sp-4h of orders-enricher", done.Summary, StringComparison.Ordinal);
        Assert.Contains("not deleted: sp-4h, sp-5h", done.Summary, StringComparison.Ordinal);
        Assert.Equal("sp-3h", done.Vars[RetentionVars.Deleted]);
        Assert.Equal(["orders-enricher-nightly", "sp-2h", "sp-4h", "sp-5h"], await NamesAsync(h));
    }

    [Fact]
    public async Task Cleanup_ListChangedAfterApproval_VoidsTheApprovalAndReopensTheGateWithTheNewList()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);
        SeedOlderSavepoints(h);
        var run = await h.StartUpgradeAsync(Cleanup(" --keep 2"));
        var gate = await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval);

        // A new savepoint arrives between the gate and the approval: sp-2h is no longer among the newest two.
        h.Sim.Cluster.Cmf.AddCompletedSavepoint(Env, App, "sp-now", TimeSpan.FromMinutes(1));
        var reply = await h.Commands.HandleActionAsync(
            new ChatAction(run.Id, GateAction.Approve, EngineHarness.Bo, EngineHarness.Channel) { PlanHash = gate.Plan!.Hash }, CancellationToken.None);
        Assert.True(reply.Accepted, reply.Text);
        var reopened = await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval || r.State.IsTerminal());

        Assert.Equal(RunState.AwaitingApproval, reopened.State);
        Assert.Empty(reopened.Approvals);
        Assert.NotEqual(gate.Plan.Hash, reopened.Plan!.Hash);
        Assert.Equal("sp-2h,sp-3h,sp-4h,sp-5h", reopened.Vars[RetentionVars.Delete]);
        Assert.DoesNotContain(h.Sim.Cluster.Calls.All, c => c.Method == "DELETE");
    }

    [Fact]
    public async Task Cleanup_KeepsTheSavepointTheJobRestoredFrom()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);
        SeedOlderSavepoints(h);
        var uid = (await h.CmfPlatform!.ListSavepointsAsync(App, CancellationToken.None))!.Single(s => s.Name == "sp-4h").Uid;
        await RestartFromAsync(h, uid!);

        var run = await h.StartUpgradeAsync(Cleanup(" --keep 1"));
        var gate = await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval || r.State.IsTerminal());

        Assert.True(gate.State == RunState.AwaitingApproval, gate.Summary);
        var plan = Assert.Single(gate.Preconditions);
        Assert.Contains("sp-4h COMPLETED", plan.Evidence, StringComparison.Ordinal);
        Assert.Contains("(the job last restored from it)", plan.Evidence, StringComparison.Ordinal);
        Assert.DoesNotContain("sp-4h", gate.Vars[RetentionVars.Delete].Split(','));
        Assert.Contains("sp-5h", gate.Vars[RetentionVars.Delete].Split(','));
    }

    [Fact]
    public async Task Cleanup_PlannedSavepointAlreadyGoneMidway_CountsAsDeletedAndValidates()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);
        SeedOlderSavepoints(h);
        var run = await h.StartUpgradeAsync(Cleanup(" --keep 2"));
        await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval);
        var reply = await h.Commands.HandleActionAsync(new ChatAction(run.Id, GateAction.Approve, EngineHarness.Bo, EngineHarness.Channel), CancellationToken.None);
        Assert.True(reply.Accepted, reply.Text);

        // After the first delete is confirmed, someone else deletes sp-5h (as a delete whose answer was lost would).
        await h.DriveAsync(run.Id, r => r.Vars.ContainsKey(RetentionVars.Deleted) || r.State.IsTerminal());
        using (var http = new HttpClient { BaseAddress = h.Sim.BaseAddress })
        {
            (await http.DeleteAsync($"/cmf/api/v1/environments/{Env}/applications/{App}/savepoints/sp-5h")).EnsureSuccessStatusCode();
        }
        var done = await h.DriveAsync(run.Id);

        Assert.True(done.State == RunState.Succeeded, done.Summary);
        Assert.Equal("sp-3h,sp-4h,sp-5h", done.Vars[RetentionVars.Deleted]);
        Assert.Contains(h.Sim.Cluster.Calls.All, c => c.Method == "DELETE" && c.Path.EndsWith("/sp-5h", StringComparison.Ordinal) && c.StatusCode == 404);
        Assert.Equal(["orders-enricher-nightly", "sp-2h"], await NamesAsync(h));
    }

    [Fact]
    public async Task Cleanup_OnAFlinkRestCluster_IsRefusedNamingTheCmfCluster()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);

        var reply = await h.SayAsync($"/flink savepoint-cleanup {App} --cluster demo");

        Assert.False(reply.Accepted);
        Assert.Contains(EngineHarness.CmfCluster, reply.Text, StringComparison.Ordinal);
        Assert.Empty(await h.Runs.ListRecentAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task Cleanup_KeepZero_IsRefusedWithWhatToType()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);

        var reply = await h.SayAsync(Cleanup(" --keep 0"));

        Assert.False(reply.Accepted);
        Assert.Contains("--keep", reply.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(h.Sim.Cluster.Calls.All, c => c.Method == "DELETE");
    }

    [Fact]
    public async Task Savepoints_OnCmf_ListsTheApplicationsSavepointResourcesNewestFirst()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);
        SeedOlderSavepoints(h);

        var reply = await h.SayAsync($"/flink savepoints {App} --cluster {EngineHarness.CmfCluster}");

        Assert.Equal(ReplyVisibility.Ephemeral, reply.Visibility);
        var text = reply.Text;
        Assert.Contains("✓ Savepoints: 5 in the cmf catalog, 5 completed:", text, StringComparison.Ordinal);
        Assert.Contains("• orders-enricher-nightly COMPLETED, 1 h ago", text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("orders-enricher-nightly", StringComparison.Ordinal) < text.IndexOf("sp-2h", StringComparison.Ordinal)
                    && text.IndexOf("sp-2h", StringComparison.Ordinal) < text.IndexOf("sp-5h", StringComparison.Ordinal), text);
    }

    // Suspends the application (CMF takes a savepoint) and starts it again from the savepoint with that uid, over
    // CMF's REST API, as an operator restoring an older savepoint would.
    private static async Task RestartFromAsync(EngineHarness h, string uid)
    {
        using var http = new HttpClient { BaseAddress = h.Sim.BaseAddress };
        var app = $"/cmf/api/v1/environments/{Env}/applications/{App}";
        (await http.PostAsync($"{app}/suspend", null)).EnsureSuccessStatusCode();
        for (var i = 0; i < 60 && h.Sim.Cluster.Cmf.ApplicationJob(Env, App)?.Status == "RUNNING"; i++) h.Clock.Advance(TimeSpan.FromSeconds(1));
        h.Clock.Advance(TimeSpan.FromSeconds(5));
        (await http.PostAsync($"{app}/start?startFromSavepointUid={uid}", null)).EnsureSuccessStatusCode();
        for (var i = 0; i < 60 && h.Sim.Cluster.Cmf.ApplicationJob(Env, App)?.Status != "RUNNING"; i++) h.Clock.Advance(TimeSpan.FromSeconds(1));
        h.Clock.Advance(TimeSpan.FromSeconds(30));
        var job = h.Sim.Cluster.Cmf.ApplicationJob(Env, App)!;
        Assert.Equal("RUNNING", job.Status);
        Assert.NotNull(job.RestoredFrom);
        _ = await http.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>(app);
    }
}
