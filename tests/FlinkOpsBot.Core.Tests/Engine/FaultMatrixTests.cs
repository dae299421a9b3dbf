using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.FlinkSim;

namespace FlinkOpsBot.Core.Tests.Engine;

/// <summary>
/// Each fault kind FlinkSim can inject, at each step of the upgrade recipe (and of its rollback), leads to a defined
/// outcome within a bounded number of ticks, and the cluster never sees a mutation twice: one stop trigger id per job,
/// at most one accepted submission per JobID.
/// </summary>
public class FaultMatrixTests
{
    private const string Upgrade240 = "/flink upgrade orders-enricher --jar orders-enricher-2.4.0.jar";
    private const string UpgradeFaulty = "/flink upgrade orders-enricher --jar orders-enricher-2.5.0-faulty.jar";
    private const int MaxTicks = 1500;

    public enum Fault
    {
        /// <summary>The next 3 requests answer 503 (leader election): transient, retried.</summary>
        Burst503,
        /// <summary>The next request answers 500: Flink's errors repeat, so the step fails.</summary>
        Error500,
        /// <summary>The stop's savepoint fails; the job keeps running.</summary>
        SavepointFailure,
        /// <summary>Flink forgets the stop's trigger id while the savepoint is still being written (the job still RUNNING).</summary>
        DropResultsInFlight,
        /// <summary>Flink forgets the stop's trigger id after the job stopped with its savepoint (FINISHED).</summary>
        DropResultsAfterStop,
        /// <summary>Flink forgets the trigger id and someone cancelled the job by hand: no savepoint to show.</summary>
        DropResultsJobCancelled,
        /// <summary>Every checkpoint of the step's job fails from now on.</summary>
        CheckpointFailures,
        /// <summary>The jar the step starts fails soon after its restore (FAILED).</summary>
        FailAfterRestore,
        /// <summary>The step's new job goes into a restart loop (RESTARTING, over and over).</summary>
        RestartLoop,
    }

    public enum Outcome
    {
        Succeeded,
        RolledBack,
        /// <summary>Failed, and the original job is still RUNNING (untouched).</summary>
        FailedJobUntouched,
        RollbackFailed,
        /// <summary>Parked in AwaitingDecision with the step Uncertain.</summary>
        Parked,
    }

    /// <summary>(faulty jar?, phase, step index (-1: validation), fault, outcome).</summary>
    public static readonly TheoryData<bool, string, int, Fault, Outcome> Matrix = new()
    {
        // stop-with-savepoint
        { false, "procedure", 0, Fault.Burst503, Outcome.Succeeded },
        { false, "procedure", 0, Fault.Error500, Outcome.FailedJobUntouched },
        { false, "procedure", 0, Fault.SavepointFailure, Outcome.FailedJobUntouched },
        { false, "procedure", 0, Fault.DropResultsInFlight, Outcome.Succeeded },
        { false, "procedure", 0, Fault.DropResultsAfterStop, Outcome.Succeeded },
        { false, "procedure", 0, Fault.DropResultsJobCancelled, Outcome.Parked },
        // submit-from-savepoint
        { false, "procedure", 1, Fault.Burst503, Outcome.Succeeded },
        { false, "procedure", 1, Fault.Error500, Outcome.RolledBack },
        { false, "procedure", 1, Fault.FailAfterRestore, Outcome.RolledBack },
        // await-running
        { false, "procedure", 2, Fault.Burst503, Outcome.Succeeded },
        { true, "procedure", 2, Fault.Burst503, Outcome.RolledBack },
        // await-checkpoint-after-restore
        { false, "procedure", 3, Fault.Burst503, Outcome.Succeeded },
        { false, "procedure", 3, Fault.CheckpointFailures, Outcome.RolledBack },
        { false, "procedure", 3, Fault.RestartLoop, Outcome.RolledBack },
        // validation
        { false, "validation", -1, Fault.Burst503, Outcome.Succeeded },
        { false, "validation", -1, Fault.CheckpointFailures, Outcome.RolledBack },
        { false, "validation", -1, Fault.RestartLoop, Outcome.RolledBack },
        // the rollback's steps (the faulty jar fails after the restore)
        { true, "rollback", 0, Fault.Burst503, Outcome.RolledBack },
        { true, "rollback", 1, Fault.Burst503, Outcome.RolledBack },
        { true, "rollback", 1, Fault.Error500, Outcome.RollbackFailed },
        { true, "rollback", 1, Fault.FailAfterRestore, Outcome.RollbackFailed },
        { true, "rollback", 2, Fault.Burst503, Outcome.RolledBack },
        { true, "rollback", 3, Fault.Burst503, Outcome.RolledBack },
        { true, "rollback", 3, Fault.CheckpointFailures, Outcome.RollbackFailed },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Upgrade_FaultAtStep_EndsWithTheDefinedOutcomeAndNoDuplicates(bool faultyJar, string phase, int step, Fault fault, Outcome expected)
    {
        await using var h = await EngineHarness.StartAsync();
        var original = h.Sim.Cluster.FindJob("orders-enricher")!;
        var run = await h.StartUpgradeAsync(faultyJar ? UpgradeFaulty : Upgrade240);
        await h.DriveAsync(run.Id, r => r.State == RunState.AwaitingApproval);
        var approved = await h.Commands.HandleActionAsync(new ChatAction(run.Id, GateAction.Approve, EngineHarness.Bo, EngineHarness.Channel), CancellationToken.None);
        Assert.True(approved.Accepted, approved.Text);

        var at = await h.DriveAsync(run.Id, r => r.State.IsTerminal() || AtStep(r, phase, step, fault), MaxTicks);
        Assert.False(at.State.IsTerminal(), $"the run ended {at.State} before reaching {phase} step {step}: {at.Summary}");
        await ArmAsync(h, at, fault, phase);

        var end = await h.DriveAsync(run.Id, r => r.State.IsTerminal() || r.State == RunState.AwaitingDecision, MaxTicks);

        Assert.True(Matches(end.State, expected), $"expected {expected}, got {end.State}: {end.Summary}");
        switch (expected)
        {
            case Outcome.Succeeded:
                Assert.Equal(RunState.Succeeded, end.State);
                Assert.Equal("RUNNING", h.Sim.Cluster.FindJob(end.Vars[RunVars.NewJobId])!.Status);
                break;
            case Outcome.RolledBack:
                Assert.Equal(RunState.RolledBack, end.State);
                Assert.Equal("RUNNING", h.Sim.Cluster.FindJob(end.Vars[RunVars.RollbackJobId])!.Status);
                break;
            case Outcome.FailedJobUntouched:
                Assert.Equal(RunState.Failed, end.State);
                Assert.Equal("RUNNING", h.Sim.Cluster.FindJob(original.JobId)!.Status);
                Assert.DoesNotContain(h.Sim.Cluster.Calls.All, c => c.Path.EndsWith("/run", StringComparison.Ordinal));
                break;
            case Outcome.RollbackFailed:
                Assert.Equal(RunState.RollbackFailed, end.State);
                Assert.NotEmpty(end.HumanActions);
                break;
            case Outcome.Parked:
                Assert.Equal(RunState.AwaitingDecision, end.State);
                Assert.Contains(end.Procedure.Concat(end.Rollback), s => s.Status == StepStatus.Uncertain);
                Assert.NotNull(h.Chat.Updates[^1].Card.Decision);
                break;
        }
        AssertNoDuplicatedMutation(h, original.JobId);
    }

    [Fact]
    public async Task Upgrade_CrashBetweenEveryPairOfTicks_StillSucceedsWithoutDuplicates()
    {
        await using var h = await EngineHarness.StartAsync();
        var original = h.Sim.Cluster.FindJob("orders-enricher")!;
        var run = await h.StartUpgradeAsync(Upgrade240);
        var ticks = 0;
        var approved = false;
        while (!(await h.GetAsync(run.Id)).State.IsTerminal())
        {
            Assert.True(++ticks < MaxTicks, $"no end within {MaxTicks} ticks");
            h.RestartEngine(); // a fresh engine over the same stores, as after SIGKILL and a restart
            var next = await h.Engine.TickAsync(run.Id, CancellationToken.None);
            if (!approved && (await h.GetAsync(run.Id)).State == RunState.AwaitingApproval)
            {
                await h.Commands.HandleActionAsync(new ChatAction(run.Id, GateAction.Approve, EngineHarness.Bo, EngineHarness.Channel), CancellationToken.None);
                approved = true;
                continue;
            }
            if (next is { } at) h.Clock.AdvanceTo(at);
        }

        var done = await h.GetAsync(run.Id);
        Assert.Equal(RunState.Succeeded, done.State);
        Assert.Equal(1, h.Sim.Cluster.Calls.Count("POST", $"/jobs/{original.JobId}/stop"));
        AssertNoDuplicatedMutation(h, original.JobId);
        var timeline = await h.Recorder.TimelineAsync(done, CancellationToken.None);
        Assert.Contains(timeline, e => e.Text.StartsWith("Picked up after a restart while Executing", StringComparison.Ordinal));
    }

    private static bool Matches(RunState state, Outcome expected) => expected switch
    {
        Outcome.Succeeded => state == RunState.Succeeded,
        Outcome.RolledBack => state == RunState.RolledBack,
        Outcome.FailedJobUntouched => state == RunState.Failed,
        Outcome.RollbackFailed => state == RunState.RollbackFailed,
        _ => state == RunState.AwaitingDecision,
    };

    /// <summary>True when the run stands at the step where the fault goes in.</summary>
    private static bool AtStep(Run run, string phase, int index, Fault fault)
    {
        if (phase == "validation") return run.State == RunState.Validating;
        var steps = phase == "rollback" ? (run.State == RunState.RollingBack ? run.Rollback : null) : (run.State == RunState.Executing ? run.Procedure : null);
        if (steps is null || steps[index].Status != StepStatus.Running) return false;
        // The stop's result can only be dropped once the stop was requested.
        return fault is not (Fault.DropResultsInFlight or Fault.DropResultsAfterStop or Fault.DropResultsJobCancelled) || run.Vars.ContainsKey(RunVars.StopRequested);
    }

    private static async Task ArmAsync(EngineHarness h, Run run, Fault fault, string phase)
    {
        var faults = h.Sim.Cluster.Faults;
        var jobId = run.JobId!;
        switch (fault)
        {
            case Fault.Burst503:
                faults.FailNextRequests(3, 503);
                break;
            case Fault.Error500:
                faults.FailNextRequests(1, 500);
                break;
            case Fault.SavepointFailure:
                faults.FailNextStopWithSavepoint(jobId);
                break;
            case Fault.DropResultsInFlight:
                faults.DropOperationResults(jobId);
                break;
            case Fault.DropResultsAfterStop:
                h.Clock.Advance(TimeSpan.FromSeconds(5)); // the savepoint completes and the job FINISHES unobserved
                Assert.Equal("FINISHED", h.Sim.Cluster.FindJob(jobId)!.Status);
                faults.DropOperationResults(jobId);
                break;
            case Fault.DropResultsJobCancelled:
                await h.Platform.CancelJobAsync(jobId, CancellationToken.None);
                faults.DropOperationResults(jobId);
                break;
            case Fault.CheckpointFailures:
                var target = phase == "rollback" ? run.Vars[RunVars.RollbackJobId] : run.Vars[RunVars.NewJobId];
                faults.FailCheckpoints(target, true);
                break;
            case Fault.FailAfterRestore:
                // Armed while the step that starts the jar runs: the job it starts restores, then fails.
                faults.FailAfterRestore(run.Vars[phase == "rollback" ? RunVars.RollbackJarId : RunVars.TargetJarId], true);
                break;
            case Fault.RestartLoop:
                faults.RestartLoop(phase == "rollback" ? run.Vars[RunVars.RollbackJobId] : run.Vars[RunVars.NewJobId], true);
                break;
        }
    }

    private static void AssertNoDuplicatedMutation(EngineHarness h, string originalJobId)
    {
        var calls = h.Sim.Cluster.Calls.All;
        // Requests the cluster refused (a 503 burst) did nothing; every accepted stop must carry the one trigger id.
        var stopKeys = calls.Where(c => c.Method == "POST" && c.Path == $"/jobs/{originalJobId}/stop" && c.StatusCode < 400).Select(c => c.IdempotencyKey).Distinct().ToList();
        Assert.True(stopKeys.Count <= 1, $"the job was stopped with {stopKeys.Count} different trigger ids: {string.Join(", ", stopKeys)}");
        var submissions = calls.Where(c => c.Method == "POST" && c.Path.EndsWith("/run", StringComparison.Ordinal) && c.StatusCode < 400)
            .GroupBy(c => c.IdempotencyKey).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(submissions.Count == 0, $"JobIDs submitted more than once: {string.Join(", ", submissions)}; calls: {string.Join("\n", calls)}");
    }
}
