using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Tests.Engine;

/// <summary>
/// The redeploy recipe on a <c>cmf</c> cluster, against FlinkSim's CMF surface over HTTP: the failing job is cancelled (a
/// stateless suspend of its application) and the application is started with the given jar from a restore point.
/// </summary>
public class CmfRedeployRecipeTests
{
    private const string Env = "demo-env";
    private const string App = "orders-enricher";
    private static readonly string OnCmf = $"--cluster {EngineHarness.CmfCluster}";

    [Fact]
    public async Task Redeploy_OnCmfFromLastSavepoint_StartsTheHotfixFromTheApplicationsNewestSavepoint()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);
        var original = h.Sim.Cluster.Cmf.ApplicationJob(Env, App)!;

        var run = await h.StartUpgradeAsync(
            $"/flink redeploy {App} --jar orders-enricher-2.4.0.jar --from last-savepoint --rollback-jar orders-enricher-2.3.1.jar {OnCmf}");
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.True(done.State == RunState.Succeeded, done.Summary);
        Assert.NotEqual("RUNNING", h.Sim.Cluster.FindJob(original.JobId)!.Status);
        var backing = h.Sim.Cluster.Cmf.ApplicationJob(Env, App)!;
        Assert.Equal(done.Vars[RunVars.NewJobId], backing.JobId);
        Assert.Equal("RUNNING", backing.Status);
        Assert.EndsWith("orders-enricher-2.4.0.jar", backing.JarId);
        Assert.Equal(done.Vars[RunVars.SavepointPath], backing.RestoredFrom);
        Assert.Equal("STABLE", h.Sim.Cluster.Cmf.LifecycleState(Env, App));
    }

    [Fact]
    public async Task Redeploy_OnCmfFaultyHotfix_RollsBackToThePreviousJarFromTheSameSavepoint()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);

        var run = await h.StartUpgradeAsync(
            $"/flink redeploy {App} --jar orders-enricher-2.5.0-faulty.jar --from last-savepoint --rollback-jar orders-enricher-2.3.1.jar {OnCmf}");
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.True(done.State == RunState.RolledBack, done.Summary);
        var backing = h.Sim.Cluster.Cmf.ApplicationJob(Env, App)!;
        Assert.Equal(done.Vars[RunVars.RollbackJobId], backing.JobId);
        Assert.Equal("RUNNING", backing.Status);
        Assert.EndsWith("orders-enricher-2.3.1.jar", backing.JarId);
        Assert.Equal(done.Vars[RunVars.SavepointPath], backing.RestoredFrom);
        Assert.NotEqual("RUNNING", h.Sim.Cluster.FindJob(done.Vars[RunVars.NewJobId])!.Status);
    }

    [Fact]
    public async Task Redeploy_OnCmfFromLastCheckpoint_FailsPreconditionsAndLeavesTheApplicationRunning()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);
        var original = h.Sim.Cluster.Cmf.ApplicationJob(Env, App)!;

        var run = await h.StartUpgradeAsync(
            $"/flink redeploy {App} --jar orders-enricher-2.4.0.jar --from last-checkpoint --rollback-jar orders-enricher-2.3.1.jar {OnCmf}");
        var done = await h.DriveAsync(run.Id);

        Assert.Equal(RunState.PreconditionsFailed, done.State);
        var check = Assert.Single(done.Preconditions, c => c.Id == "restore-point-known");
        Assert.Equal(CheckOutcome.Fail, check.Outcome);
        Assert.Contains("--from last-savepoint", check.Evidence);
        Assert.Equal("RUNNING", h.Sim.Cluster.FindJob(original.JobId)!.Status);
        Assert.Equal(original.JobId, h.Sim.Cluster.Cmf.ApplicationJob(Env, App)!.JobId);
        Assert.Equal("STABLE", h.Sim.Cluster.Cmf.LifecycleState(Env, App));
    }
}
