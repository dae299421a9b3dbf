using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Engine;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.FlinkSim;

namespace FlinkOpsBot.Core.Tests.Engine;

/// <summary>The scale recipe (cookbook 3.1) end to end against FlinkSim over HTTP, under both schedulers.</summary>
public class ScaleRecipeTests
{
    [Fact]
    public async Task Scale_DefaultScheduler_ResubmitsTheSameJarFromASavepointAndTheLoadFalls()
    {
        await using var h = await EngineHarness.StartAsync();
        var original = h.Sim.Cluster.FindJob("clickstream-sessionizer")!;

        var run = await h.StartUpgradeAsync("/flink scale clickstream-sessionizer --parallelism 10");
        var gate = await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval || r.State.IsTerminal());
        Assert.All(gate.Preconditions, c => Assert.Equal(CheckOutcome.Pass, c.Outcome));
        var load = Assert.Single(gate.Preconditions, c => c.Id == "scaling-evidence");
        Assert.Contains("backpressure high", load.Evidence);
        Assert.Contains("lag", load.Evidence);
        Assert.Contains("jobmanager.scheduler: default", Assert.Single(gate.Preconditions, c => c.Id == "scheduler-known").Evidence);
        Assert.False(StepConditions.IsSet(gate, StepConditions.SchedulerAdaptive));
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.Equal(RunState.Succeeded, done.State);
        Assert.Equal(StepStatus.Skipped, done.Procedure[0].Status);
        Assert.Equal("FINISHED", h.Sim.Cluster.FindJob(original.JobId)!.Status);
        var scaled = h.Sim.Cluster.FindJob(done.Vars[RunVars.NewJobId])!;
        Assert.Equal(10, scaled.Parallelism);
        Assert.Equal(original.JarId, scaled.JarId);
        Assert.Equal("clickstream-sessionizer", scaled.Name);
        Assert.Equal(done.Vars[RunVars.SavepointPath], scaled.RestoredFrom);
        var improved = Assert.Single(done.Validations, c => c.Id == "load-improved");
        Assert.Equal(CheckOutcome.Pass, improved.Outcome);
        Assert.Contains("busiest vertex", improved.Evidence);
    }

    [Fact]
    public async Task Scale_AdaptiveScheduler_RescalesInPlaceKeepingTheJobId()
    {
        await using var h = await EngineHarness.StartAsync(options: new FlinkSimOptions { Scheduler = "adaptive" });
        var original = h.Sim.Cluster.FindJob("clickstream-sessionizer")!;

        var run = await h.StartUpgradeAsync("/flink scale clickstream-sessionizer --parallelism 10");
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.Equal(RunState.Succeeded, done.State);
        Assert.Equal(StepStatus.Done, done.Procedure[0].Status);
        Assert.All(done.Procedure.Skip(1).Take(3), s => Assert.Equal(StepStatus.Skipped, s.Status));
        var job = h.Sim.Cluster.FindJob(original.JobId)!;
        Assert.Equal("RUNNING", job.Status);
        Assert.Equal(10, job.Parallelism);
        Assert.Equal(original.JobId, done.Vars[RunVars.NewJobId]);
        Assert.DoesNotContain(h.Sim.Cluster.Calls.All, c => c.Method == "POST" && c.Path.Contains("/stop", StringComparison.Ordinal));
        Assert.Equal(CheckOutcome.Pass, Assert.Single(done.Validations, c => c.Id == "load-improved").Outcome);
    }

    [Fact]
    public async Task Scale_DownIntoANewBottleneck_RollsBackToTheOldParallelismFromTheSameSavepoint()
    {
        await using var h = await EngineHarness.StartAsync();
        var original = h.Sim.Cluster.FindJob("clickstream-sessionizer")!;

        var run = await h.StartUpgradeAsync("/flink scale clickstream-sessionizer --parallelism 3");
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.Equal(RunState.RolledBack, done.State);
        var check = Assert.Single(done.Validations, c => c.Id == "load-improved");
        Assert.Equal(CheckOutcome.Fail, check.Outcome);
        var restored = h.Sim.Cluster.FindJob(done.Vars[RunVars.RollbackJobId])!;
        Assert.Equal("RUNNING", restored.Status);
        Assert.Equal(original.Parallelism, restored.Parallelism);
        Assert.Equal(done.Vars[RunVars.SavepointPath], restored.RestoredFrom);
    }

    [Fact]
    public async Task Scale_AdaptiveScheduler_RollbackRescalesBackInPlace()
    {
        await using var h = await EngineHarness.StartAsync(options: new FlinkSimOptions { Scheduler = "adaptive" });
        var original = h.Sim.Cluster.FindJob("clickstream-sessionizer")!;

        var run = await h.StartUpgradeAsync("/flink scale clickstream-sessionizer --parallelism 3");
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.Equal(RunState.RolledBack, done.State);
        Assert.Equal(StepStatus.Done, done.Rollback[0].Status);
        var job = h.Sim.Cluster.FindJob(original.JobId)!;
        Assert.Equal("RUNNING", job.Status);
        Assert.Equal(original.Parallelism, job.Parallelism);
    }
}
