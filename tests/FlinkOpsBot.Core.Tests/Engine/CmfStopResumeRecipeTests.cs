using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;

namespace FlinkOpsBot.Core.Tests.Engine;

/// <summary>The stop and resume recipes on a <c>cmf</c> cluster (suspend with a savepoint, start from it), against FlinkSim's CMF surface over HTTP.</summary>
public class CmfStopResumeRecipeTests
{
    private const string Env = "demo-env";
    private const string App = "orders-enricher";
    private static readonly string OnCmf = $"--cluster {EngineHarness.CmfCluster}";

    [Fact]
    public async Task StopThenResume_OnCmf_SuspendsWithASavepointAndStartsTheSameJarFromIt()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);
        var original = h.Sim.Cluster.Cmf.ApplicationJob(Env, App)!;
        // The bot deployed the application earlier (its ledger knows the jar and parallelism a resume reuses).
        await h.Ledger.RecordAsync(new DeploymentRecord(EngineHarness.CmfCluster, App, "local:///opt/flink/usrlib/orders-enricher-2.3.1.jar",
            "orders-enricher-2.3.1.jar", original.JobId, original.Parallelism, null, h.Clock.GetUtcNow()), CancellationToken.None);

        var stop = await h.StartUpgradeAsync($"/flink stop {App} {OnCmf}");
        var stopped = await h.ApproveAndFinishAsync(stop.Id);
        Assert.True(stopped.State == RunState.Succeeded, stopped.Summary);
        Assert.Equal("SUSPENDED", h.Sim.Cluster.Cmf.LifecycleState(Env, App));
        var savepoint = stopped.Vars[RunVars.SavepointPath];
        Assert.Contains(savepoint, stopped.Summary);

        h.Clock.Advance(TimeSpan.FromMinutes(5));
        var resume = await h.StartUpgradeAsync($"/flink resume {App} --from last {OnCmf}");
        var resumed = await h.ApproveAndFinishAsync(resume.Id);

        Assert.True(resumed.State == RunState.Succeeded, resumed.Summary);
        Assert.All(resumed.Preconditions, c => Assert.Equal(CheckOutcome.Pass, c.Outcome));
        var backing = h.Sim.Cluster.Cmf.ApplicationJob(Env, App)!;
        Assert.Equal(resumed.Vars[RunVars.NewJobId], backing.JobId);
        Assert.Equal("RUNNING", backing.Status);
        Assert.Equal(savepoint, backing.RestoredFrom);
        Assert.EndsWith("orders-enricher-2.3.1.jar", backing.JarId);
        Assert.Equal(original.Parallelism, backing.Parallelism);
        Assert.Equal("STABLE", h.Sim.Cluster.Cmf.LifecycleState(Env, App));
    }

    [Fact]
    public async Task Stop_OnCmfSavepointFails_EndsFailedWithTheJobStillRunning()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);
        var original = h.Sim.Cluster.Cmf.ApplicationJob(Env, App)!;
        h.Sim.Cluster.Faults.FailNextStopWithSavepoint(original.JobId, "java.util.concurrent.CompletionException: Checkpoint expired before completing.");

        var run = await h.StartUpgradeAsync($"/flink stop {App} {OnCmf}");
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.True(done.State == RunState.Failed, done.Summary);
        Assert.Contains("Checkpoint expired before completing", done.Summary);
        Assert.Contains("left as it was", done.Summary);
        Assert.False(done.Vars.ContainsKey(RunVars.SavepointPath));
        Assert.Equal("RUNNING", h.Sim.Cluster.FindJob(original.JobId)!.Status);
        Assert.Equal(original.JobId, h.Sim.Cluster.Cmf.ApplicationJob(Env, App)!.JobId);
    }

    [Fact]
    public async Task Resume_OnCmfWithAJarThatFails_RollsBackBySuspendingItStatelessly()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);
        var stop = await h.StartUpgradeAsync($"/flink stop {App} {OnCmf}");
        var stopped = await h.ApproveAndFinishAsync(stop.Id);
        Assert.True(stopped.State == RunState.Succeeded, stopped.Summary);

        var resume = await h.StartUpgradeAsync(
            $"/flink resume {App} --from {stopped.Vars[RunVars.SavepointPath]} --jar orders-enricher-2.5.0-faulty.jar {OnCmf}");
        var done = await h.ApproveAndFinishAsync(resume.Id);

        Assert.True(done.State == RunState.RolledBack, done.Summary);
        Assert.Equal(StepStatus.Done, done.Rollback[0].Status);
        Assert.NotEqual("RUNNING", h.Sim.Cluster.FindJob(done.Vars[RunVars.NewJobId])!.Status);
        Assert.Equal("SUSPENDED", h.Sim.Cluster.Cmf.LifecycleState(Env, App));
    }

    [Fact]
    public async Task Resume_OnCmfWhileTheApplicationRuns_FailsPreconditions()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);

        var run = await h.StartUpgradeAsync($"/flink resume {App} --from last --jar orders-enricher-2.3.1.jar {OnCmf}");
        var done = await h.DriveAsync(run.Id);

        Assert.Equal(RunState.PreconditionsFailed, done.State);
        Assert.Equal(CheckOutcome.Fail, Assert.Single(done.Preconditions, c => c.Id == "name-free").Outcome);
    }
}
