using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Steps;
using FlinkOpsBot.Core.Storage;

namespace FlinkOpsBot.Core.Tests.Engine;

/// <summary>The savepoint recipe and the savepoint ledger the stop step writes, against FlinkSim over HTTP.</summary>
public class SavepointRecipeTests
{
    [Fact]
    public async Task Savepoint_RequesterApprovesThemself_TakesItRecordsItAndTheJobKeepsRunning()
    {
        await using var h = await EngineHarness.StartAsync();
        var job = h.Sim.Cluster.FindJob("payments-fraud-detector")!;

        var run = await h.StartUpgradeAsync("/flink savepoint payments-fraud-detector");
        var done = await h.ApproveAndFinishAsync(run.Id, EngineHarness.Ana);

        Assert.Equal(RunState.Succeeded, done.State);
        var path = done.Vars[RunVars.SavepointPath];
        Assert.Contains(path, done.Summary);
        Assert.Equal("RUNNING", h.Sim.Cluster.FindJob(job.JobId)!.Status);
        Assert.Equal(1, h.Sim.Cluster.Calls.Count("POST", $"/jobs/{job.JobId}/savepoints"));
        var record = Assert.Single(await h.Savepoints.ListAsync("demo", "payments-fraud-detector", 10, CancellationToken.None));
        Assert.Equal(path, record.Path);
        Assert.Equal(done.Vars[DeployVars.SavepointTriggerId], record.Name);
        Assert.Equal(run.Id, record.RunId);
        Assert.Equal(SavepointKind.Savepoint, record.Kind);
    }

    [Fact]
    public async Task Savepoint_Fails_EndsFailedWithTheIntentRecordedAndNoPath()
    {
        await using var h = await EngineHarness.StartAsync();
        var job = h.Sim.Cluster.FindJob("payments-fraud-detector")!;
        h.Sim.Cluster.Faults.FailNextSavepoint(job.JobId, "java.util.concurrent.CompletionException: Checkpoint expired before completing.");

        var run = await h.StartUpgradeAsync("/flink savepoint payments-fraud-detector");
        var done = await h.ApproveAndFinishAsync(run.Id, EngineHarness.Ana);

        Assert.Equal(RunState.Failed, done.State);
        Assert.Contains("Checkpoint expired before completing", done.Summary);
        Assert.Equal("RUNNING", h.Sim.Cluster.FindJob(job.JobId)!.Status);
        Assert.Null(Assert.Single(await h.Savepoints.ListAsync("demo", "payments-fraud-detector", 10, CancellationToken.None)).Path);
    }

    [Fact]
    public async Task Savepoint_FlinkForgetsTheTriggerId_RequestsItAgainWithTheSameId()
    {
        await using var h = await EngineHarness.StartAsync();
        var job = h.Sim.Cluster.FindJob("payments-fraud-detector")!;
        var run = await h.StartUpgradeAsync("/flink savepoint payments-fraud-detector");
        await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval);
        await h.Commands.HandleActionAsync(new FlinkOpsBot.Core.Commands.ChatAction(run.Id, FlinkOpsBot.Core.Approvals.GateAction.Approve, EngineHarness.Ana, EngineHarness.Channel),
            CancellationToken.None);
        var requested = await h.DriveAsync(run.Id, r => r.Vars.ContainsKey(DeployVars.SavepointRequested) || r.State.IsTerminal());
        h.Sim.Cluster.Faults.DropOperationResults(job.JobId);

        var done = await h.DriveAsync(run.Id);

        Assert.Equal(RunState.Succeeded, done.State);
        var triggers = h.Sim.Cluster.Calls.All.Where(c => c.Method == "POST" && c.Path == $"/jobs/{job.JobId}/savepoints").ToList();
        Assert.InRange(triggers.Count, 1, 2);
        Assert.Equal(requested.Vars[DeployVars.SavepointTriggerId], done.Vars[DeployVars.SavepointTriggerId]);
    }

    [Fact]
    public async Task Stop_RecordsTheSavepointInTheLedger_AndRedeployFindsItAsLastSavepoint()
    {
        await using var h = await EngineHarness.StartAsync();
        var take = await h.StartUpgradeAsync("/flink savepoint orders-enricher");
        var taken = await h.ApproveAndFinishAsync(take.Id, EngineHarness.Ana);

        var run = await h.StartUpgradeAsync("/flink redeploy orders-enricher --jar orders-enricher-2.4.0.jar --from last-savepoint");
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.Equal(RunState.Succeeded, done.State);
        Assert.Equal(taken.Vars[RunVars.SavepointPath], h.Sim.Cluster.FindJob(done.Vars[RunVars.NewJobId])!.RestoredFrom);
        Assert.Contains(done.Plan!.Facts, f => f.StartsWith($"Restore from: {taken.Vars[RunVars.SavepointPath]} (savepoint taken by {take.Id}", StringComparison.Ordinal));
    }
}
