using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Tests.Engine;

/// <summary>The upgrade recipe on a <c>cmf</c> cluster, end to end against FlinkSim's CMF surface over HTTP.</summary>
public class CmfUpgradeRecipeTests
{
    private const string Env = "demo-env";
    private const string App = "orders-enricher";

    private static string Upgrade(string jar) =>
        $"/flink upgrade {App} --jar {jar} --rollback-jar orders-enricher-2.3.1.jar --cluster {EngineHarness.CmfCluster}";

    [Fact]
    public async Task Upgrade_OnCmf_SuspendsWithASavepointAndStartsTheNewJarFromIt()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);
        var original = h.Sim.Cluster.Cmf.ApplicationJob(Env, App)!;

        var run = await h.StartUpgradeAsync(Upgrade("orders-enricher-2.4.0.jar"));
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.True(done.State == RunState.Succeeded, done.Summary);
        Assert.All(done.Preconditions, c => Assert.Equal(CheckOutcome.Pass, c.Outcome));
        var newJobId = done.Vars[RunVars.NewJobId];
        var backing = h.Sim.Cluster.Cmf.ApplicationJob(Env, App)!;
        Assert.Equal(newJobId, backing.JobId);
        Assert.EndsWith("orders-enricher-2.4.0.jar", backing.JarId);
        Assert.Equal(done.Vars[RunVars.SavepointPath], backing.RestoredFrom);
        Assert.Equal("FINISHED", h.Sim.Cluster.FindJob(original.JobId)!.Status);
        Assert.Equal("STABLE", h.Sim.Cluster.Cmf.LifecycleState(Env, App));
    }

    [Fact]
    public async Task Upgrade_OnCmfFaultyJar_RollsBackToThePreviousJarFromTheSameSavepoint()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);

        var run = await h.StartUpgradeAsync(Upgrade("orders-enricher-2.5.0-faulty.jar"));
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.True(done.State == RunState.RolledBack, done.Summary);
        var backing = h.Sim.Cluster.Cmf.ApplicationJob(Env, App)!;
        Assert.Equal(done.Vars[RunVars.RollbackJobId], backing.JobId);
        Assert.EndsWith("orders-enricher-2.3.1.jar", backing.JarId);
        Assert.Equal(done.Vars[RunVars.SavepointPath], backing.RestoredFrom);
        Assert.Equal("RUNNING", backing.Status);
        Assert.True(h.Sim.Cluster.FindJob(done.Vars[RunVars.NewJobId])!.Status is "CANCELED" or "FAILED");
    }

    [Fact]
    public async Task Upgrade_OnCmfIncompatibleJarWithoutAFlag_SaysNothingWasComparedAndTheFailedRestoreRollsBack()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);

        var run = await h.StartUpgradeAsync(Upgrade("orders-enricher-3.0.0.jar"));
        var done = await h.ApproveAndFinishAsync(run.Id);

        var check = Assert.Single(done.Preconditions, c => c.Id == "state-compatible");
        Assert.Equal(CheckOutcome.Pass, check.Outcome);
        Assert.Contains("no vertex was compared", check.Evidence);
        Assert.True(done.State == RunState.RolledBack, done.Summary);
        var backing = h.Sim.Cluster.Cmf.ApplicationJob(Env, App)!;
        Assert.EndsWith("orders-enricher-2.3.1.jar", backing.JarId);
        Assert.Equal(done.Vars[RunVars.SavepointPath], backing.RestoredFrom);
        Assert.Equal("RUNNING", backing.Status);
    }

    [Fact]
    public async Task Upgrade_OnCmfAllowNonRestoredState_NeedsTheSecondConfirmationThenRuns()
    {
        await using var h = await EngineHarness.StartAsync(cmf: true);

        var run = await h.StartUpgradeAsync(Upgrade("orders-enricher-3.0.0.jar") + " --allow-non-restored-state");
        var gate = await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval || r.State.IsTerminal());
        Assert.Equal(RunState.AwaitingApproval, gate.State);
        Assert.Contains(gate.Plan!.Facts, f => f.StartsWith("State dropped: ", StringComparison.Ordinal));
        Assert.True((await Decide(h, run.Id, GateAction.Approve, EngineHarness.Bo)).Accepted);
        Assert.Equal(RunState.AwaitingApproval, (await h.DriveAsync(run.Id, r => true)).State); // approvals alone are not enough
        Assert.True((await Decide(h, run.Id, GateAction.Confirm, EngineHarness.Bo)).Accepted);
        var done = await h.DriveAsync(run.Id);

        Assert.True(done.State == RunState.Succeeded, done.Summary);
        var backing = h.Sim.Cluster.Cmf.ApplicationJob(Env, App)!;
        Assert.Equal(done.Vars[RunVars.NewJobId], backing.JobId);
        Assert.EndsWith("orders-enricher-3.0.0.jar", backing.JarId);
        Assert.Equal(done.Vars[RunVars.SavepointPath], backing.RestoredFrom);
    }

    private static Task<CommandReply> Decide(EngineHarness h, RunId id, GateAction action, Identity.Actor actor) =>
        h.Commands.HandleActionAsync(new ChatAction(id, action, actor, EngineHarness.Channel), CancellationToken.None);
}
