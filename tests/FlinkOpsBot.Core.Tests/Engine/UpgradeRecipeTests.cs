using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Timeline;

namespace FlinkOpsBot.Core.Tests.Engine;

/// <summary>The upgrade recipe end to end against FlinkSim over HTTP, driven by a manual clock.</summary>
public class UpgradeRecipeTests
{
    private const string Upgrade240 = "/flink upgrade orders-enricher --jar orders-enricher-2.4.0.jar";
    private const string UpgradeFaulty = "/flink upgrade orders-enricher --jar orders-enricher-2.5.0-faulty.jar";

    [Fact]
    public async Task Upgrade_HealthyJar_SucceedsFromTheSavepoint()
    {
        await using var h = await EngineHarness.StartAsync();
        var original = h.Sim.Cluster.FindJob("orders-enricher")!;

        var run = await h.StartUpgradeAsync(Upgrade240);
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.Equal(RunState.Succeeded, done.State);
        Assert.All(done.Preconditions, c => Assert.Equal(CheckOutcome.Pass, c.Outcome));
        var savepoint = done.Vars[RunVars.SavepointPath];
        var newJob = h.Sim.Cluster.FindJob(done.Vars[RunVars.NewJobId])!;
        Assert.Equal("FINISHED", h.Sim.Cluster.FindJob(original.JobId)!.Status);
        Assert.Equal("RUNNING", newJob.Status);
        Assert.EndsWith("orders-enricher-2.4.0.jar", newJob.JarId);
        Assert.Equal(savepoint, newJob.RestoredFrom);
        Assert.Equal(original.Parallelism, newJob.Parallelism);
        Assert.Equal(1, h.Sim.Cluster.Calls.Count("POST", $"/jobs/{original.JobId}/stop"));
        Assert.Equal(1, h.Sim.Cluster.Calls.All.Count(c => c.Method == "POST" && c.Path.Contains("/run", StringComparison.Ordinal)));

        var record = await h.Ledger.GetCurrentAsync("demo", "orders-enricher", CancellationToken.None);
        Assert.Equal(newJob.JobId, record!.JobId);
        Assert.Equal(run.Id, record.RunId);
        Assert.Null(await h.Locks.GetAsync("demo", "orders-enricher", CancellationToken.None));

        var timeline = await h.Recorder.TimelineAsync(done, CancellationToken.None);
        Assert.Contains(timeline, e => e.Kind == TimelineEventKind.Decision && e.Actor == EngineHarness.Bo);
        Assert.Contains(timeline, e => e.Evidence.GetValueOrDefault("savepointPath") == savepoint);
        Assert.Equal(Enumerable.Range(0, timeline.Count), timeline.Select(e => e.Sequence));
        Assert.Equal(RunState.Succeeded, h.Chat.Updates[^1].Card.State);
    }

    [Fact]
    public async Task Upgrade_NewParallelism_StartsTheNewJobWithIt()
    {
        await using var h = await EngineHarness.StartAsync();

        var run = await h.StartUpgradeAsync(Upgrade240 + " --parallelism 6");
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.Equal(RunState.Succeeded, done.State);
        Assert.Equal(6, h.Sim.Cluster.FindJob(done.Vars[RunVars.NewJobId])!.Parallelism);
    }

    [Fact]
    public async Task Upgrade_StopWithSavepointFails_EndsFailedWithTheJobUntouched()
    {
        await using var h = await EngineHarness.StartAsync();
        var original = h.Sim.Cluster.FindJob("orders-enricher")!;
        h.Sim.Cluster.Faults.FailNextStopWithSavepoint(original.JobId, "java.util.concurrent.CompletionException: Checkpoint expired before completing.");

        var run = await h.StartUpgradeAsync(Upgrade240);
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.Equal(RunState.Failed, done.State);
        Assert.Equal("RUNNING", h.Sim.Cluster.FindJob(original.JobId)!.Status);
        Assert.Equal(0, h.Sim.Cluster.Calls.All.Count(c => c.Method == "POST" && c.Path.Contains("/run", StringComparison.Ordinal)));
        Assert.Contains("Checkpoint expired before completing", done.Summary);
        Assert.Contains("left as it was", done.Summary);
        Assert.Equal(StepStatus.Failed, done.Procedure[0].Status);
        Assert.All(done.Rollback, s => Assert.Equal(StepStatus.Pending, s.Status));
    }

    [Fact]
    public async Task Upgrade_FaultyJar_RollsBackToThePreviousVersionFromTheSameSavepoint()
    {
        await using var h = await EngineHarness.StartAsync();
        var original = h.Sim.Cluster.FindJob("orders-enricher")!;

        var run = await h.StartUpgradeAsync(UpgradeFaulty);
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.Equal(RunState.RolledBack, done.State);
        var savepoint = done.Vars[RunVars.SavepointPath];
        var faulty = h.Sim.Cluster.FindJob(done.Vars[RunVars.NewJobId])!;
        var restored = h.Sim.Cluster.FindJob(done.Vars[RunVars.RollbackJobId])!;
        Assert.NotEqual("RUNNING", faulty.Status);
        Assert.Equal("RUNNING", restored.Status);
        Assert.Equal(original.JarId, restored.JarId);
        Assert.Equal(savepoint, restored.RestoredFrom);
        Assert.Equal(original.Parallelism, restored.Parallelism);
        Assert.Contains("Rolled back", done.Summary);
        var record = await h.Ledger.GetCurrentAsync("demo", "orders-enricher", CancellationToken.None);
        Assert.Equal(restored.JobId, record!.JobId);
        Assert.Equal(original.JarId, record.JarId);
    }

    [Fact]
    public async Task Upgrade_RollbackTargetAlsoFails_EndsRollbackFailedWithWhatAHumanMustDo()
    {
        await using var h = await EngineHarness.StartAsync();

        var run = await h.StartUpgradeAsync(UpgradeFaulty + " --rollback-jar orders-enricher-2.5.0-faulty.jar");
        var done = await h.ApproveAndFinishAsync(run.Id);

        Assert.Equal(RunState.RollbackFailed, done.State);
        var savepoint = done.Vars[RunVars.SavepointPath];
        Assert.Contains(done.HumanActions, a => a.Contains(savepoint, StringComparison.Ordinal) && a.Contains("POST /jars/", StringComparison.Ordinal));
        Assert.Contains(done.HumanActions, a => a.Contains(done.Vars[RunVars.NewJobId], StringComparison.Ordinal));
        var card = h.Chat.Updates[^1].Card;
        Assert.Equal(RunState.RollbackFailed, card.State);
        Assert.Equal(done.HumanActions, card.HumanActions);
        Assert.StartsWith("Rollback failed at", done.Summary);
    }

    [Fact]
    public async Task Upgrade_TwoUpgradesInARow_SecondRollsBackToTheFirst()
    {
        await using var h = await EngineHarness.StartAsync();

        var first = await h.ApproveAndFinishAsync((await h.StartUpgradeAsync(Upgrade240)).Id);
        var second = await h.ApproveAndFinishAsync((await h.StartUpgradeAsync(UpgradeFaulty)).Id);

        Assert.Equal(RunState.Succeeded, first.State);
        Assert.Equal(RunState.RolledBack, second.State);
        var running = h.Sim.Cluster.FindJob(second.Vars[RunVars.RollbackJobId])!;
        Assert.EndsWith("orders-enricher-2.4.0.jar", running.JarId);
        Assert.Equal("RUNNING", running.Status);
    }

    [Fact]
    public async Task Upgrade_UnknownJar_FailsPreconditionsAndTouchesNothing()
    {
        await using var h = await EngineHarness.StartAsync();

        var run = await h.StartUpgradeAsync("/flink upgrade orders-enricher --jar orders-enricher-9.9.9.jar");
        var done = await h.DriveAsync(run.Id);

        Assert.Equal(RunState.PreconditionsFailed, done.State);
        var jar = Assert.Single(done.Preconditions, c => c.Id == "jar-exists");
        Assert.Equal(CheckOutcome.Fail, jar.Outcome);
        Assert.Contains("no jar 'orders-enricher-9.9.9.jar'", jar.Evidence);
        Assert.Contains("orders-enricher-2.4.0.jar", jar.Evidence);
        Assert.DoesNotContain(h.Sim.Cluster.Calls.All, c => !c.Path.EndsWith("/plan", StringComparison.Ordinal)); // POST /jars/:jarid/plan only reads
        Assert.Null(await h.Locks.GetAsync("demo", "orders-enricher", CancellationToken.None));
    }

    [Fact]
    public async Task Upgrade_NoDeploymentRecord_RefusesWithoutARollbackJar()
    {
        await using var h = await EngineHarness.StartAsync(seedLedger: false);

        var refused = await h.DriveAsync((await h.StartUpgradeAsync(Upgrade240)).Id);
        var explicitRollback = await h.DriveAsync((await h.StartUpgradeAsync(Upgrade240 + " --rollback-jar orders-enricher-2.3.1.jar")).Id,
            r => r.State is RunState.AwaitingApproval || r.State.IsTerminal());

        Assert.Equal(RunState.PreconditionsFailed, refused.State);
        Assert.Contains("pass --rollback-jar", Assert.Single(refused.Preconditions, c => c.Id == "rollback-target-known").Evidence);
        Assert.Equal(RunState.AwaitingApproval, explicitRollback.State);
    }

    [Fact]
    public async Task Upgrade_FailedCheckpointRecently_FailsPreconditions()
    {
        await using var h = await EngineHarness.StartAsync();
        var job = h.Sim.Cluster.FindJob("orders-enricher")!;
        h.Sim.Cluster.Faults.FailCheckpoints(job.JobId, true);
        h.Clock.Advance(TimeSpan.FromSeconds(25));
        h.Sim.Cluster.Faults.FailCheckpoints(job.JobId, false);
        h.Clock.Advance(TimeSpan.FromSeconds(10));

        var done = await h.DriveAsync((await h.StartUpgradeAsync(Upgrade240)).Id);

        Assert.Equal(RunState.PreconditionsFailed, done.State);
        Assert.Equal(CheckOutcome.Fail, Assert.Single(done.Preconditions, c => c.Id == "no-failed-checkpoints").Outcome);
    }

    [Fact]
    public async Task Gate_NobodyApproves_ExpiresAfterThirtyMinutesAndTouchesNothing()
    {
        await using var h = await EngineHarness.StartAsync();

        var run = await h.StartUpgradeAsync(Upgrade240);
        var done = await h.DriveAsync(run.Id);

        Assert.Equal(RunState.Expired, done.State);
        Assert.Equal(done.Gate!.ExpiresAt, done.EndedAt);
        Assert.InRange(done.EndedAt!.Value - done.CreatedAt, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(30.1));
        Assert.DoesNotContain(h.Sim.Cluster.Calls.All, c => !c.Path.EndsWith("/plan", StringComparison.Ordinal)); // POST /jars/:jarid/plan only reads
    }

    [Fact]
    public async Task Gate_Rejected_EndsRejectedAndTouchesNothing()
    {
        await using var h = await EngineHarness.StartAsync();
        var run = await h.StartUpgradeAsync(Upgrade240);
        await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval);

        var reply = await h.SayAsync($"reject {run.Id} not during the sale", EngineHarness.Bo);
        var done = await h.DriveAsync(run.Id);

        Assert.True(reply.Accepted);
        Assert.Equal(RunState.Rejected, done.State);
        Assert.Equal("not during the sale", done.Decline!.Comment);
        Assert.DoesNotContain(h.Sim.Cluster.Calls.All, c => !c.Path.EndsWith("/plan", StringComparison.Ordinal)); // POST /jars/:jarid/plan only reads
        Assert.Null(await h.Locks.GetAsync("demo", "orders-enricher", CancellationToken.None));
    }

    [Fact]
    public async Task Gate_RequesterApproves_IsRefusedUnlessPolicyAllows()
    {
        await using var h = await EngineHarness.StartAsync();
        var run = await h.StartUpgradeAsync(Upgrade240);
        await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval);

        var self = await h.Commands.HandleActionAsync(new ChatAction(run.Id, GateAction.Approve, EngineHarness.Ana, EngineHarness.Channel), CancellationToken.None);

        Assert.False(self.Accepted);
        Assert.Contains("another approver", self.Text);
        Assert.Equal(RunState.AwaitingApproval, (await h.GetAsync(run.Id)).State);
    }

    [Fact]
    public async Task Gate_SelfApprovalPolicy_LetsTheRequesterApproveAndSaysSo()
    {
        await using var h = await EngineHarness.StartAsync(new GatePolicy { AllowSelfApproval = true, Note = "Local mode: self-approval is allowed." });
        var run = await h.StartUpgradeAsync(Upgrade240);

        var done = await h.ApproveAndFinishAsync(run.Id, EngineHarness.Ana);

        Assert.Equal(RunState.Succeeded, done.State);
        Assert.Equal("Local mode: self-approval is allowed.", h.Chat.Updates.First(u => u.Card.Gate is not null).Card.Gate!.Note);
    }

    [Fact]
    public async Task Start_JobHasARunInFlight_RefusesNamingTheRun()
    {
        await using var h = await EngineHarness.StartAsync();
        var first = await h.StartUpgradeAsync(Upgrade240);
        h.Clock.Advance(TimeSpan.FromMinutes(12));

        var second = await h.SayAsync(Upgrade240, EngineHarness.Bo);

        Assert.False(second.Accepted);
        Assert.Contains($"locked by {first.Id} (upgrade, started by <@U1> 12 min ago)", second.Text);
        Assert.Single(await h.Runs.ListRecentAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task Start_UnknownJob_NamesTheRunningJobsAndCreatesNothing()
    {
        await using var h = await EngineHarness.StartAsync();

        var reply = await h.SayAsync("/flink upgrade order-enricher --jar orders-enricher-2.4.0.jar");

        Assert.False(reply.Accepted);
        Assert.Equal("There is no running job named order-enricher on cluster demo. Running jobs: clickstream-sessionizer, orders-enricher, payments-fraud-detector.", reply.Text);
        Assert.Empty(await h.Runs.ListRecentAsync(10, CancellationToken.None));
    }

    [Fact]
    public async Task Start_UnknownCluster_ListsTheConfiguredOnes()
    {
        await using var h = await EngineHarness.StartAsync();

        var reply = await h.SayAsync(Upgrade240 + " --cluster prod");

        Assert.False(reply.Accepted);
        Assert.Equal("There is no cluster named prod. Configured: demo.", reply.Text);
    }

    [Fact]
    public async Task Engine_RestartedMidProcedure_ResumesWithoutRepeatingTheStop()
    {
        await using var h = await EngineHarness.StartAsync();
        var original = h.Sim.Cluster.FindJob("orders-enricher")!;
        var run = await h.StartUpgradeAsync(Upgrade240);
        await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval);
        await h.Commands.HandleActionAsync(new ChatAction(run.Id, GateAction.Approve, EngineHarness.Bo, EngineHarness.Channel), CancellationToken.None);
        await h.DriveAsync(run.Id, r => r.Vars.ContainsKey(RunVars.StopRequested));

        h.RestartEngine();
        var done = await h.DriveAsync(run.Id);

        Assert.Equal(RunState.Succeeded, done.State);
        Assert.Equal(1, h.Sim.Cluster.Calls.Count("POST", $"/jobs/{original.JobId}/stop"));
    }

    [Fact]
    public async Task Timeline_Export_ListsEveryStepWithEvidence()
    {
        await using var h = await EngineHarness.StartAsync();
        var done = await h.ApproveAndFinishAsync((await h.StartUpgradeAsync(Upgrade240)).Id);

        var reply = await h.SayAsync($"/flink timeline {done.Id}");

        Assert.True(reply.Accepted);
        Assert.StartsWith($"# Timeline of {done.Id}: upgrade orders-enricher on demo\n\n- **state**: Succeeded", reply.Text);
        Assert.Contains("approved by <@U2>", reply.Text);
        Assert.Contains($"savepointPath: `{done.Vars[RunVars.SavepointPath]}`", reply.Text);
        Assert.Contains("Validating → Succeeded", reply.Text);
    }
}
