using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Engine;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Tests.Engine;

/// <summary>
/// The scale recipe on a <c>cmf</c> cluster, against FlinkSim's CMF surface over HTTP: CMF exposes no resource
/// requirements, so the job is suspended with a savepoint and the application started from it with the new parallelism.
/// </summary>
public class CmfScaleRecipeTests
{
    private const string Env = "demo-env";
    private const string App = "orders-enricher";
    private static readonly string OnCmf = $"--cluster {EngineHarness.CmfCluster}";

    /// <summary>120 % of what orders-enricher's keyed process handles at parallelism 4 (1 000 records/s per subtask).</summary>
    private const double HotRate = 4_800;

    [Fact]
    public async Task Scale_OnCmf_StartsTheApplicationFromASavepointWithTheNewParallelismAndTheLoadFalls()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);
        var original = h.Sim.Cluster.Cmf.ApplicationJob(Env, App)!;
        h.Sim.Cluster.Faults.SetInputRate(original.JobId, HotRate);

        var run = await h.StartUpgradeAsync($"/flink scale {App} --parallelism 6 --rollback-jar orders-enricher-2.3.1.jar {OnCmf}");
        var gate = await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval || r.State.IsTerminal());
        Assert.All(gate.Preconditions, c => Assert.True(c.Outcome == CheckOutcome.Pass, $"{c.Id}: {c.Evidence}"));
        Assert.False(StepConditions.IsSet(gate, StepConditions.SchedulerAdaptive));
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.True(done.State == RunState.Succeeded, done.Summary);
        Assert.Equal(StepStatus.Skipped, done.Procedure[0].Status);
        var backing = h.Sim.Cluster.Cmf.ApplicationJob(Env, App)!;
        Assert.Equal(done.Vars[RunVars.NewJobId], backing.JobId);
        Assert.Equal("RUNNING", backing.Status);
        Assert.Equal(6, backing.Parallelism);
        Assert.EndsWith("orders-enricher-2.3.1.jar", backing.JarId);
        Assert.Equal(done.Vars[RunVars.SavepointPath], backing.RestoredFrom);
        Assert.Equal(CheckOutcome.Pass, Assert.Single(done.Validations, c => c.Id == "load-improved").Outcome);
    }

    [Fact]
    public async Task Scale_OnCmfDownIntoANewBottleneck_RollsBackToTheOldParallelismFromTheSameSavepoint()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);
        var original = h.Sim.Cluster.Cmf.ApplicationJob(Env, App)!;
        h.Sim.Cluster.Faults.SetInputRate(original.JobId, HotRate);

        var run = await h.StartUpgradeAsync($"/flink scale {App} --parallelism 2 --rollback-jar orders-enricher-2.3.1.jar {OnCmf}");
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.True(done.State == RunState.RolledBack, done.Summary);
        Assert.Equal(CheckOutcome.Fail, Assert.Single(done.Validations, c => c.Id == "load-improved").Outcome);
        var backing = h.Sim.Cluster.Cmf.ApplicationJob(Env, App)!;
        Assert.Equal(done.Vars[RunVars.RollbackJobId], backing.JobId);
        Assert.Equal("RUNNING", backing.Status);
        Assert.Equal(original.Parallelism, backing.Parallelism);
        Assert.Equal(done.Vars[RunVars.SavepointPath], backing.RestoredFrom);
        Assert.Equal("STABLE", h.Sim.Cluster.Cmf.LifecycleState(Env, App));
    }

    [Fact]
    public async Task Scale_OnCmfUnderTheAdaptiveScheduler_StillTakesTheSavepointPath()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);
        var original = h.Sim.Cluster.Cmf.ApplicationJob(Env, App)!;
        h.Sim.Cluster.Faults.SetInputRate(original.JobId, HotRate);
        using (var http = new HttpClient { BaseAddress = h.Sim.BaseAddress })
        {
            // The environment's application defaults ask for the adaptive scheduler (CMF: POST /environments upserts).
            using var response = await http.PostAsync(new Uri("cmf/api/v1/environments", UriKind.Relative), new StringContent(
                """{"name":"demo-env","kubernetesNamespace":"flink-demo","flinkApplicationDefaults":{"spec":{"flinkConfiguration":{"jobmanager.scheduler":"adaptive"}}}}""",
                System.Text.Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
        }

        var run = await h.StartUpgradeAsync($"/flink scale {App} --parallelism 6 --rollback-jar orders-enricher-2.3.1.jar {OnCmf}");
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.True(done.State == RunState.Succeeded, done.Summary);
        var scheduler = Assert.Single(done.Preconditions, c => c.Id == "scheduler-known");
        Assert.Contains("jobmanager.scheduler: adaptive; on CMF the job is not rescaled in place", scheduler.Evidence);
        Assert.Equal(StepStatus.Skipped, done.Procedure[0].Status);
        var backing = h.Sim.Cluster.Cmf.ApplicationJob(Env, App)!;
        Assert.Equal(done.Vars[RunVars.NewJobId], backing.JobId);
        Assert.Equal(6, backing.Parallelism);
        Assert.Equal(done.Vars[RunVars.SavepointPath], backing.RestoredFrom);
    }
}
