using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Tests.Engine;

/// <summary>
/// The cancel-job recipe (a stateless suspend) and the deploy recipe (a new application) on a <c>cmf</c> cluster, against
/// FlinkSim's CMF surface over HTTP.
/// </summary>
public class CmfCancelDeployRecipeTests
{
    private const string Env = "demo-env";
    private static readonly string OnCmf = $"--cluster {EngineHarness.CmfCluster}";

    [Fact]
    public async Task Cancel_OnCmf_SuspendsTheApplicationStatelessly_AndShowsTheSavepointAsTheWayBack()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);
        var job = h.Sim.Cluster.Cmf.ApplicationJob(Env, "orders-enricher")!;

        var run = await h.StartUpgradeAsync($"/flink cancel-job orders-enricher --reason restart-loop {OnCmf}");
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.True(done.State == RunState.Succeeded, done.Summary);
        Assert.Equal("SUSPENDED", h.Sim.Cluster.Cmf.LifecycleState(Env, "orders-enricher"));
        Assert.NotEqual("RUNNING", h.Sim.Cluster.FindJob(job.JobId)!.Status);
        var wayBack = Assert.Single(h.Chat.Updates[^1].Card.Facts, f => f.Label == "Way back");
        Assert.Contains("/flink resume orders-enricher --from s3://", wayBack.Value);
        Assert.Equal("RUNNING", h.Sim.Cluster.Cmf.ApplicationJob(Env, "payments-fraud-detector")!.Status);
    }

    [Fact]
    public async Task Cancel_OnCmfOfASuspendedApplication_IsRefusedAndChangesNothing()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);
        var first = await h.ApproveAndFinishAsync((await h.StartUpgradeAsync($"/flink cancel-job orders-enricher {OnCmf}")).Id);
        Assert.True(first.State == RunState.Succeeded, first.Summary);

        var reply = await h.SayAsync($"/flink cancel-job orders-enricher {OnCmf}");

        Assert.False(reply.Accepted, "a suspended application has no running job to cancel");
        Assert.Contains("orders-enricher", reply.Text);
        Assert.DoesNotContain("   at ", reply.Text);
        Assert.Equal("SUSPENDED", h.Sim.Cluster.Cmf.LifecycleState(Env, "orders-enricher"));
    }

    [Fact]
    public async Task Deploy_OnCmf_CreatesANewApplicationThatRunsAndCheckpoints()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);

        var run = await h.StartUpgradeAsync($"/flink deploy orders-enricher-eu --jar orders-enricher-2.4.0.jar --parallelism 2 {OnCmf}");
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.True(done.State == RunState.Succeeded, done.Summary);
        Assert.All(done.Preconditions, c => Assert.NotEqual(CheckOutcome.Fail, c.Outcome));
        var backing = h.Sim.Cluster.Cmf.ApplicationJob(Env, "orders-enricher-eu")!;
        Assert.Equal(done.Vars[RunVars.NewJobId], backing.JobId);
        Assert.Equal("RUNNING", backing.Status);
        Assert.EndsWith("orders-enricher-2.4.0.jar", backing.JarId);
        Assert.Equal(2, backing.Parallelism);
        Assert.Null(backing.RestoredFrom);
        Assert.Equal("STABLE", h.Sim.Cluster.Cmf.LifecycleState(Env, "orders-enricher-eu"));
    }

    [Fact]
    public async Task Deploy_OnCmfOfAJarThatFails_RollsBackBySuspendingTheNewApplication()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);

        var run = await h.StartUpgradeAsync($"/flink deploy orders-enricher-eu --jar orders-enricher-2.5.0-faulty.jar --parallelism 2 {OnCmf}");
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.True(done.State == RunState.RolledBack, done.Summary);
        Assert.Equal(StepStatus.Done, done.Rollback[0].Status);
        Assert.NotEqual("RUNNING", h.Sim.Cluster.FindJob(done.Vars[RunVars.NewJobId])!.Status);
        Assert.Equal("SUSPENDED", h.Sim.Cluster.Cmf.LifecycleState(Env, "orders-enricher-eu"));
        Assert.Equal("RUNNING", h.Sim.Cluster.Cmf.ApplicationJob(Env, "orders-enricher")!.Status);
    }
}
