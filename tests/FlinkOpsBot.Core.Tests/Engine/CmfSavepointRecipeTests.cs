using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Steps;
using FlinkOpsBot.Core.Storage;

namespace FlinkOpsBot.Core.Tests.Engine;

/// <summary>The savepoint recipe on a <c>cmf</c> cluster: a Savepoint resource of the application, against FlinkSim's CMF surface over HTTP.</summary>
public class CmfSavepointRecipeTests
{
    private const string Env = "demo-env";
    private const string App = "orders-enricher";

    [Fact]
    public async Task Savepoint_OnCmf_CreatesASavepointResourceRecordsItAndTheApplicationKeepsRunning()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);
        var job = h.Sim.Cluster.Cmf.ApplicationJob(Env, App)!;

        var run = await h.StartUpgradeAsync($"/flink savepoint {App} --cluster {EngineHarness.CmfCluster}");
        var done = await h.ApproveAndFinishAsync(run.Id, EngineHarness.Ana);

        Assert.True(done.State == RunState.Succeeded, done.Summary);
        var path = done.Vars[RunVars.SavepointPath];
        Assert.Contains(path, done.Summary);
        Assert.Equal(job.JobId, h.Sim.Cluster.Cmf.ApplicationJob(Env, App)!.JobId);
        Assert.Equal("RUNNING", h.Sim.Cluster.FindJob(job.JobId)!.Status);
        Assert.Equal("STABLE", h.Sim.Cluster.Cmf.LifecycleState(Env, App));
        var resource = Assert.Single(await h.CmfPlatform!.ListSavepointsAsync(App, CancellationToken.None) ?? [], s => s.Path == path);
        Assert.Equal("COMPLETED", resource.State);
        var record = Assert.Single(await h.Savepoints.ListAsync(EngineHarness.CmfCluster, App, 10, CancellationToken.None));
        Assert.Equal(path, record.Path);
        Assert.Equal(run.Id, record.RunId);
        Assert.Equal(SavepointKind.Savepoint, record.Kind);
        Assert.Equal(done.Vars[DeployVars.SavepointTriggerId], record.Name);
    }

    [Fact]
    public async Task Savepoint_OnCmfFails_EndsFailedWithCmfsErrorAndTheApplicationStillRunning()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);
        var job = h.Sim.Cluster.Cmf.ApplicationJob(Env, App)!;
        h.Sim.Cluster.Cmf.FailNextSavepoint("Checkpoint expired before completing.");

        var run = await h.StartUpgradeAsync($"/flink savepoint {App} --cluster {EngineHarness.CmfCluster}");
        var done = await h.ApproveAndFinishAsync(run.Id, EngineHarness.Ana);

        Assert.True(done.State == RunState.Failed, done.Summary);
        Assert.Contains("Checkpoint expired before completing", done.Summary);
        Assert.Equal("RUNNING", h.Sim.Cluster.FindJob(job.JobId)!.Status);
        Assert.Null(Assert.Single(await h.Savepoints.ListAsync(EngineHarness.CmfCluster, App, 10, CancellationToken.None)).Path);
    }
}
