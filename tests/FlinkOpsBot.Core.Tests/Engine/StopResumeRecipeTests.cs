using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Tests.Engine;

/// <summary>The stop and resume recipes (savepoint management) end to end against FlinkSim over HTTP.</summary>
public class StopResumeRecipeTests
{
    [Fact]
    public async Task StopThenResume_FromLast_RestartsTheSameJarFromTheStopSavepoint()
    {
        await using var h = await EngineHarness.StartAsync();
        var original = h.Sim.Cluster.FindJob("orders-enricher")!;

        var stop = await h.StartUpgradeAsync("/flink stop orders-enricher");
        var stopped = await h.ApproveAndFinishAsync(stop.Id);
        Assert.Equal(RunState.Succeeded, stopped.State);
        Assert.Equal("FINISHED", h.Sim.Cluster.FindJob(original.JobId)!.Status);
        var savepoint = stopped.Vars[RunVars.SavepointPath];
        Assert.Contains(savepoint, stopped.Summary);

        h.Clock.Advance(TimeSpan.FromMinutes(5));
        var resume = await h.StartUpgradeAsync("/flink resume orders-enricher --from last");
        var resumed = await h.ApproveAndFinishAsync(resume.Id);

        Assert.Equal(RunState.Succeeded, resumed.State);
        Assert.All(resumed.Preconditions, c => Assert.Equal(CheckOutcome.Pass, c.Outcome));
        var job = h.Sim.Cluster.FindJob(resumed.Vars[RunVars.NewJobId])!;
        Assert.Equal("RUNNING", job.Status);
        Assert.Equal(savepoint, job.RestoredFrom);
        Assert.Equal(original.JarId, job.JarId);
        Assert.Equal(original.Parallelism, job.Parallelism);
        Assert.Contains($"Restore from: {savepoint} (savepoint", resumed.Plan!.Facts[^1]);
    }

    [Fact]
    public async Task Stop_SavepointFails_EndsFailedWithTheJobStillRunning()
    {
        await using var h = await EngineHarness.StartAsync();
        var original = h.Sim.Cluster.FindJob("orders-enricher")!;
        h.Sim.Cluster.Faults.FailNextStopWithSavepoint(original.JobId, "java.util.concurrent.CompletionException: Checkpoint expired before completing.");

        var run = await h.StartUpgradeAsync("/flink stop orders-enricher");
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.Equal(RunState.Failed, done.State);
        Assert.Equal("RUNNING", h.Sim.Cluster.FindJob(original.JobId)!.Status);
        Assert.Contains("left as it was", done.Summary);
    }

    [Fact]
    public async Task Resume_WithAJarThatFails_RollsBackByCancellingIt()
    {
        await using var h = await EngineHarness.StartAsync();
        var stop = await h.StartUpgradeAsync("/flink stop orders-enricher");
        var stopped = await h.ApproveAndFinishAsync(stop.Id);

        var resume = await h.StartUpgradeAsync($"/flink resume orders-enricher --from {stopped.Vars[RunVars.SavepointPath]} --jar orders-enricher-2.5.0-faulty.jar");
        var done = await h.ApproveAndFinishAsync(resume.Id);

        Assert.Equal(RunState.RolledBack, done.State);
        Assert.NotEqual("RUNNING", h.Sim.Cluster.FindJob(done.Vars[RunVars.NewJobId])!.Status);
        Assert.Equal(StepStatus.Done, done.Rollback[0].Status);
    }

    [Fact]
    public async Task Resume_WhileTheJobRuns_FailsPreconditions()
    {
        await using var h = await EngineHarness.StartAsync();

        var run = await h.StartUpgradeAsync("/flink resume orders-enricher --from last");
        var done = await h.DriveAsync(run.Id);

        Assert.Equal(RunState.PreconditionsFailed, done.State);
        Assert.Equal(CheckOutcome.Fail, Assert.Single(done.Preconditions, c => c.Id == "name-free").Outcome);
    }
}
