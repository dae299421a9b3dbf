using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Steps;

namespace FlinkOpsBot.Core.Tests.Engine;

/// <summary>
/// The backfill recipe on a <c>cmf</c> cluster, against FlinkSim's CMF surface over HTTP: the backfill is a new application
/// (its name, the jar, the start position as program arguments), cancelled (suspended statelessly) once it has caught up;
/// the production application is never touched.
/// </summary>
public class CmfBackfillRecipeTests
{
    private const string Env = "demo-env";
    private const string Production = "orders-enricher";
    private static readonly string OnCmf = $"--cluster {EngineHarness.CmfCluster}";

    [Fact]
    public async Task Backfill_OnCmf_RunsANewApplicationUntilItCatchesUpAndProductionIsNeverTouched()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);
        var production = h.Sim.Cluster.Cmf.ApplicationJob(Env, Production)!;

        var run = await h.StartUpgradeAsync(
            $"/flink backfill orders-backfill --from {Production} --jar orders-enricher-2.3.1.jar --start-timestamp 2026-12-01T00:00:00Z " +
            $"--args \"--sink-topic orders-backfill\" --parallelism 2 {OnCmf}");
        var gate = await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval || r.State.IsTerminal());
        Assert.All(gate.Preconditions, c => Assert.True(c.Outcome == CheckOutcome.Pass, $"{c.Id}: {c.Evidence}"));
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.True(done.State == RunState.Succeeded, done.Summary);
        Assert.StartsWith("caught up: records lag", done.Procedure[2].Detail);
        var backfill = h.Sim.Cluster.FindJob(done.Vars[RunVars.NewJobId])!;
        Assert.Equal(backfill.JobId, h.Sim.Cluster.Cmf.ApplicationJob(Env, "orders-backfill")!.JobId);
        Assert.EndsWith("orders-enricher-2.3.1.jar", backfill.JarId);
        Assert.NotEqual("RUNNING", backfill.Status);
        Assert.Equal(["--start-timestamp", "2026-12-01T00:00:00Z", "--sink-topic", "orders-backfill"], backfill.ProgramArgs);
        Assert.Null(backfill.RestoredFrom);
        Assert.Equal("SUSPENDED", h.Sim.Cluster.Cmf.LifecycleState(Env, "orders-backfill"));
        Assert.Equal(production.JobId, h.Sim.Cluster.Cmf.ApplicationJob(Env, Production)!.JobId);
        Assert.Equal("RUNNING", h.Sim.Cluster.FindJob(production.JobId)!.Status);
        Assert.Equal(CheckOutcome.Pass, Assert.Single(done.Validations, c => c.Id == "production-untouched").Outcome);
    }

    [Fact]
    public async Task Backfill_OnCmfWhoseJobFails_RollsBackBySuspendingOnlyTheBackfill()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);
        var production = h.Sim.Cluster.Cmf.ApplicationJob(Env, Production)!;

        var run = await h.StartUpgradeAsync(
            $"/flink backfill orders-backfill --from {Production} --jar orders-enricher-2.5.0-faulty.jar --start-offsets 0:100 --parallelism 2 {OnCmf}");
        await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval);
        await h.Commands.HandleActionAsync(new FlinkOpsBot.Core.Commands.ChatAction(run.Id, FlinkOpsBot.Core.Approvals.GateAction.Approve, EngineHarness.Bo, EngineHarness.Channel),
            CancellationToken.None);
        var submitted = await h.DriveAsync(run.Id, r => r.Procedure[0].Status == StepStatus.Done || r.State.IsTerminal());
        // Far behind, so it fails before it could catch up. FlinkSim keys input rates by Flink job name, and the backfill's job
        // carries the jar's name (orders-enricher) as in CMF's application mode: production gets the rate too, and stays RUNNING.
        h.Sim.Cluster.Faults.SetInputRate(submitted.Vars[RunVars.NewJobId], 100_000);
        var done = await h.DriveAsync(run.Id);

        Assert.True(done.State == RunState.RolledBack, done.Summary);
        Assert.Equal(StepStatus.Failed, done.Procedure[2].Status);
        Assert.Equal(["--start-offsets", "0:100"], DeployVars.Args(done));
        Assert.NotEqual("RUNNING", h.Sim.Cluster.FindJob(done.Vars[RunVars.NewJobId])!.Status);
        Assert.Equal("SUSPENDED", h.Sim.Cluster.Cmf.LifecycleState(Env, "orders-backfill"));
        Assert.Equal(production.JobId, h.Sim.Cluster.Cmf.ApplicationJob(Env, Production)!.JobId);
        Assert.Equal("RUNNING", h.Sim.Cluster.FindJob(production.JobId)!.Status);
        Assert.Equal("STABLE", h.Sim.Cluster.Cmf.LifecycleState(Env, Production));
    }
}
