using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Tests.Engine;

/// <summary>The redeploy recipe (restart-loop / checkpoint-failure mitigation) end to end against FlinkSim over HTTP.</summary>
public class RedeployRecipeTests
{
    [Fact]
    public async Task Redeploy_FromLastCheckpoint_CancelsTheJobAndStartsTheJarFromTheResolvedCheckpoint()
    {
        await using var h = await EngineHarness.StartAsync();
        var original = h.Sim.Cluster.FindJob("orders-enricher")!;

        var run = await h.StartUpgradeAsync("/flink redeploy orders-enricher --jar orders-enricher-2.4.0.jar --from last-checkpoint");
        var gate = await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval || r.State.IsTerminal());
        Assert.Contains($"Restore from: the newest retained checkpoint of JobID {original.JobId} when it is cancelled", gate.Plan!.Facts);
        h.Clock.Advance(TimeSpan.FromMinutes(1)); // newer checkpoints complete and subsume the one shown; the plan holds
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.Equal(RunState.Succeeded, done.State);
        var cancelled = h.Sim.Cluster.FindJob(original.JobId)!;
        Assert.Equal("CANCELED", cancelled.Status);
        var job = h.Sim.Cluster.FindJob(done.Vars[RunVars.NewJobId])!;
        Assert.Equal("RUNNING", job.Status);
        Assert.Equal(done.Vars[RunVars.SavepointPath], job.RestoredFrom);
        Assert.Contains(original.JobId + "/chk-", job.RestoredFrom);
        Assert.EndsWith("orders-enricher-2.4.0.jar", job.JarId);
    }

    [Fact]
    public async Task Redeploy_JobInARestartLoop_HotfixStartsFromTheCheckpointRetainedBeforeTheLoop()
    {
        await using var h = await EngineHarness.StartAsync();
        var looping = h.Sim.Cluster.FindJob("payments-fraud-detector")!;
        h.Sim.Cluster.Faults.RestartLoop(looping.JobId, true, FlinkOpsBot.FlinkSim.RestartLoopCause.PoisonRecord);
        h.Clock.Advance(TimeSpan.FromMinutes(2));

        var run = await h.StartUpgradeAsync("/flink redeploy payments-fraud-detector --jar payments-fraud-detector-1.8.1.jar --from last-checkpoint");
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.Equal(RunState.Succeeded, done.State);
        Assert.Equal("CANCELED", h.Sim.Cluster.FindJob(looping.JobId)!.Status);
        var hotfix = h.Sim.Cluster.FindJob(done.Vars[RunVars.NewJobId])!;
        Assert.Equal("RUNNING", hotfix.Status);
        Assert.EndsWith("payments-fraud-detector-1.8.1.jar", hotfix.JarId);
        Assert.Equal("payments-fraud-detector", hotfix.Name);
        Assert.Contains(looping.JobId + "/chk-", hotfix.RestoredFrom);
    }

    [Fact]
    public async Task Redeploy_FaultyHotfix_RollsBackToThePreviousJarFromTheSameRestorePoint()
    {
        await using var h = await EngineHarness.StartAsync();
        var original = h.Sim.Cluster.FindJob("orders-enricher")!;

        var run = await h.StartUpgradeAsync("/flink redeploy orders-enricher --jar orders-enricher-2.5.0-faulty.jar --from last-checkpoint");
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.Equal(RunState.RolledBack, done.State);
        var restored = h.Sim.Cluster.FindJob(done.Vars[RunVars.RollbackJobId])!;
        Assert.Equal("RUNNING", restored.Status);
        Assert.Equal(original.JarId, restored.JarId);
        Assert.Equal(done.Vars[RunVars.SavepointPath], restored.RestoredFrom);
        Assert.NotEqual("RUNNING", h.Sim.Cluster.FindJob(done.Vars[RunVars.NewJobId])!.Status);
    }

    [Fact]
    public async Task Redeploy_NoSavepointKnown_FailsPreconditionsAndCancelsNothing()
    {
        await using var h = await EngineHarness.StartAsync();
        var original = h.Sim.Cluster.FindJob("orders-enricher")!;

        var run = await h.StartUpgradeAsync("/flink redeploy orders-enricher --jar orders-enricher-2.4.0.jar --from last-savepoint");
        var done = await h.DriveAsync(run.Id);

        Assert.Equal(RunState.PreconditionsFailed, done.State);
        Assert.Contains("no completed savepoint", Assert.Single(done.Preconditions, c => c.Id == "restore-point-known").Evidence);
        Assert.Equal("RUNNING", h.Sim.Cluster.FindJob(original.JobId)!.Status);
        Assert.DoesNotContain(h.Sim.Cluster.Calls.All, c => c.Method == "PATCH");
    }
}
