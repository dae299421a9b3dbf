using System.Globalization;
using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Authorization;
using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Clusters;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Lifecycle;
using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Steps;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Core.Timeline;
using Microsoft.Extensions.Logging;

namespace FlinkOpsBot.Core.Engine;

/// <summary>
/// Advances runs, one unit of work per <see cref="TickAsync"/>: one transition, one check evaluation, or one call of
/// one step. Each tick reads the run, decides with the lifecycle table, does its I/O through the platform, records
/// the result and persists it conditionally on the ETag. Because every tick starts from the persisted run, a crashed
/// or replaced engine resumes where the last write left off.
/// </summary>
public sealed partial class RunEngine
{
    /// <summary>The default timeout of a step without a <c>timeout</c> parameter.</summary>
    public static readonly TimeSpan DefaultStepTimeout = TimeSpan.FromMinutes(10);

    private readonly RunRecorder _recorder;
    private readonly IClusterDirectory _clusters;
    private readonly RecipeCatalog _recipes;
    private readonly CheckLibrary _checks;
    private readonly StepLibrary _steps;
    private readonly IDeploymentLedger _ledger;
    private readonly ISavepointLedger _savepoints;
    private readonly IJobLockStore _locks;
    private readonly IAuthorizationPolicy _authorization;
    private readonly TimeProvider _time;
    private readonly ILogger<RunEngine> _logger;
    private readonly DateTimeOffset _startedAt;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<RunId, bool> _seen = new();

    /// <summary>
    /// Creates the engine. <paramref name="savepoints"/> is where steps record the savepoints they take (stop, trigger) and
    /// where checks find them (<c>--from last-savepoint</c>); without one, an in-memory ledger private to this engine.
    /// </summary>
    public RunEngine(RunRecorder recorder, IClusterDirectory clusters, RecipeCatalog recipes, CheckLibrary checks, StepLibrary steps,
        IDeploymentLedger ledger, IJobLockStore locks, IAuthorizationPolicy authorization, TimeProvider time, ILogger<RunEngine> logger,
        ISavepointLedger? savepoints = null)
    {
        _savepoints = savepoints ?? new InMemorySavepointLedger();
        _recorder = recorder;
        _clusters = clusters;
        _recipes = recipes;
        _checks = checks;
        _steps = steps;
        _ledger = ledger;
        _locks = locks;
        _authorization = authorization;
        _time = time;
        _logger = logger;
        _startedAt = time.GetUtcNow();
    }

    /// <summary>
    /// Does the run's next unit of work if it is due, and returns when the run next wants attention: null once it is
    /// terminal (or unknown), otherwise a time (now, for "at once").
    /// </summary>
    /// <exception cref="ConcurrencyConflictException">Someone else changed the run during the tick; nothing was lost: tick again.</exception>
    public Task<DateTimeOffset?> TickAsync(RunId id, CancellationToken cancellationToken) => TickUnderLeaseAsync(id, null, cancellationToken);

    /// <summary>
    /// Like <see cref="TickAsync"/>, but does nothing unless the run as read is leased to
    /// <paramref name="leases"/>' owner (then it returns when to look again); null <paramref name="leases"/> skips the check.
    /// </summary>
    /// <exception cref="ConcurrencyConflictException">Someone else changed the run during the tick; nothing was lost: tick again.</exception>
    public async Task<DateTimeOffset?> TickUnderLeaseAsync(RunId id, RunLeases? leases, CancellationToken cancellationToken)
    {
        var change = await _recorder.BeginAsync(id, cancellationToken);
        if (change is null || change.Run.State.IsTerminal()) return null;
        if (leases?.RetryAtUnlessHeld(change.Run, change.Now) is { } notOurs) return notOurs;
        var run = change.Run;
        // A run last written before this engine started was left by a previous process (a crash or a restart): say so
        // on its timeline, re-render its card, and reconcile it against the cluster now rather than at its old wake-up.
        var recovered = _seen.TryAdd(run.Id, true) && run.UpdatedAt < _startedAt && run.State != RunState.Requested;
        if (recovered)
        {
            change.Record(Actor.System, TimelineEventKind.Note, $"Picked up after a restart while {run.State}; reconciling with the cluster");
            if (run.State is not (RunState.AwaitingApproval or RunState.AwaitingDecision)) run.NextWakeAt = change.Now;
        }
        else if (run.NextWakeAt is { } wake && wake > change.Now)
        {
            return wake;
        }

        using var scope = _logger.BeginScope(new Dictionary<string, object> { ["RunId"] = run.Id.Value });
        var recipe = _recipes.Find(run.RecipeId) ?? throw new InvalidOperationException($"Run {run.Id} names recipe '{run.RecipeId}', which is not loaded.");
        var cluster = _clusters.Find(run.Cluster);
        if (cluster is null)
        {
            if (run.State.HasTouchedCluster())
            {
                throw new InvalidOperationException($"Run {run.Id} is {run.State} on cluster '{run.Cluster}', which is no longer configured; restore its configuration.");
            }
            Fire(change, run.State == RunState.CheckingPreconditions ? RunTrigger.PreconditionsNotMet : RunTrigger.Cancel,
                $"cluster '{run.Cluster}' is no longer configured");
            await FinishAsync(change, cancellationToken);
            return null;
        }
        var platform = _clusters.PlatformFor(cluster);

        switch (run.State)
        {
            case RunState.Requested:
                Fire(change, RunTrigger.Start, "checking preconditions");
                run.NextWakeAt = change.Now;
                break;
            case RunState.CheckingPreconditions:
                await CheckPreconditionsAsync(change, recipe, cluster, platform, cancellationToken);
                break;
            case RunState.AwaitingApproval:
                AwaitApproval(change);
                break;
            case RunState.ConfirmingPlan:
                await ConfirmPlanAsync(change, recipe, cluster, platform, cancellationToken);
                break;
            case RunState.Executing or RunState.RollingBack:
                await AdvanceStepsAsync(change, recipe, cluster, platform, cancellationToken);
                break;
            case RunState.Validating:
                await ValidateAsync(change, recipe, cluster, platform, cancellationToken);
                break;
            case RunState.AwaitingDecision:
                // Parked runs never expire: a person decides. Until then the timeline gets a reminder every hour.
                if (run.NextWakeAt is { } due && due <= change.Now && !recovered)
                {
                    change.Record(Actor.System, TimelineEventKind.Note,
                        $"Still waiting for a decision on “{RunDecisions.UncertainStep(run)?.Title}”: retry, continue, roll back or abandon");
                }
                if (run.NextWakeAt is null || run.NextWakeAt <= change.Now) run.NextWakeAt = change.Now + RunDecisions.ReminderInterval;
                break;
        }

        await FinishAsync(change, cancellationToken);
        return run.State.IsTerminal() ? null : run.NextWakeAt ?? change.Now;
    }

    /// <summary>What every check of a run may read: the run, its recipe, cluster, platform, the deployment ledger, the clock and the locks.</summary>
    private CheckContext NewCheckContext(Run run, Recipe recipe, ClusterDefinition cluster, IFlinkPlatform platform) =>
        new(run, recipe, cluster, platform, _ledger, _time) { Locks = _locks, Savepoints = _savepoints };

    private async Task CheckPreconditionsAsync(RunChange change, Recipe recipe, ClusterDefinition cluster, IFlinkPlatform platform, CancellationToken cancellationToken)
    {
        var run = change.Run;
        var context = NewCheckContext(run, recipe, cluster, platform);
        var results = new List<CheckResult>();
        foreach (var spec in recipe.Preconditions)
        {
            results.Add(await _checks[spec.Check].EvaluateAsync(context, spec, cancellationToken));
        }
        run.Preconditions = results;
        foreach (var result in results)
        {
            change.Record(Actor.System, TimelineEventKind.Check, $"{Symbol(result.Outcome)} {result.Title}: {result.Evidence}",
                new Dictionary<string, string> { ["check"] = result.Id, ["outcome"] = result.Outcome.ToString() });
        }

        var notPassed = results.Where(r => r.Outcome != CheckOutcome.Pass).ToList();
        if (notPassed.Count > 0)
        {
            run.Summary = "Preconditions not met, nothing was changed: " + string.Join("; ", notPassed.Select(r => $"{r.Title}: {r.Evidence}"));
            Fire(change, RunTrigger.PreconditionsNotMet, $"{notPassed.Count} of {results.Count} preconditions not met");
            return;
        }

        run.Procedure = Plan(recipe.Procedure, run);
        run.Rollback = Plan(recipe.Rollback, run);
        run.Gate = _authorization.OpenGate(run, recipe.Gate, change.Now);
        await ShowPlanAsync(change, context, cancellationToken);
        run.Summary = $"Waiting for {run.Gate.RequiredApprovals} approval(s) until {run.Gate.ExpiresAt:HH:mm} UTC.";
        Fire(change, RunTrigger.PreconditionsPassed, $"all {results.Count} preconditions passed; waiting for approval");
    }

    private List<StepRecord> Plan(IReadOnlyList<StepSpec> specs, Run run) => specs
        .Select(s => new StepRecord { Kind = s.Step, Title = _steps[s.Step].Describe(run, s.With), With = s.With.ToDictionary() })
        .ToList();

    private async Task AdvanceStepsAsync(RunChange change, Recipe recipe, ClusterDefinition cluster, IFlinkPlatform platform, CancellationToken cancellationToken)
    {
        var run = change.Run;
        var rollingBack = run.State == RunState.RollingBack;
        var steps = run.ActiveSteps!;
        var index = steps.FindIndex(s => s.Status is StepStatus.Pending or StepStatus.Running);
        if (index < 0)
        {
            if (rollingBack)
            {
                await RecordDeploymentAsync(run, RunVars.RollbackJarId, RunVars.RollbackJobId, RunVars.PreviousParallelism, change.Now, cancellationToken);
                // A recipe that restarts no job in its rollback (sql-deploy stops a statement) ends with what its steps did,
                // or, when every step was skipped, why (e.g. a FAILED statement runs nothing).
                var done = run.Rollback.Where(s => s.Status == StepStatus.Done).Select(s => s.Detail).OfType<string>().ToList();
                var rolledBack = done.Count > 0 ? done : run.Rollback.Where(s => s.Status == StepStatus.Skipped).Select(s => s.Detail).OfType<string>().ToList();
                run.Summary = run.Vars.GetValueOrDefault(RunVars.RollbackJobId) is null
                    ? $"Rolled back: {string.Join("; ", rolledBack)}. {run.Summary}"
                    : $"Rolled back: {JarNames.Display(run.Vars.GetValueOrDefault(RunVars.RollbackJarId))} runs again as JobID {run.Vars.GetValueOrDefault(RunVars.RollbackJobId)}" +
                      (run.Vars.GetValueOrDefault(RunVars.SavepointPath) is { } from ? $", restored from {from}. " : ". ") + run.Summary;
                Fire(change, RunTrigger.RollbackCompleted, "rollback complete; the previous version runs");
            }
            else
            {
                run.Vars[RunVars.ValidationStartedAt] = change.Now.ToString("O", CultureInfo.InvariantCulture);
                var window = ValidationWindow(recipe, cluster);
                run.Summary = window == TimeSpan.Zero ? "Procedure complete; nothing to watch." : $"Validating for {Durations.Format(window)}, until {change.Now + window:HH:mm:ss} UTC.";
                Fire(change, RunTrigger.ProcedureCompleted, window == TimeSpan.Zero ? "procedure complete; nothing to validate" : $"procedure complete; validating for {Durations.Format(window)}");
            }
            run.NextWakeAt = change.Now;
            return;
        }

        var step = steps[index];
        var spec = (rollingBack ? recipe.Rollback : recipe.Procedure)[index];
        if (step.Status == StepStatus.Pending && StepConditions.SkipReason(run, step.With) is { } notNeeded)
        {
            step.Status = StepStatus.Skipped;
            step.StartedAt = step.EndedAt = change.Now;
            step.Detail = notNeeded;
            change.Record(Actor.System, TimelineEventKind.Step, $"– {step.Title}: {notNeeded}");
            run.NextWakeAt = change.Now;
            return;
        }
        if (step.Status == StepStatus.Pending)
        {
            step.Status = StepStatus.Running;
            step.StartedAt = change.Now;
            change.Record(Actor.System, TimelineEventKind.Step, $"▶ {step.Title}");
        }

        var timeout = step.With.TryGetValue("timeout", out var text) && Durations.TryParse(text, out var t) ? t : DefaultStepTimeout;
        StepResult result;
        if (change.Now - step.StartedAt!.Value > timeout)
        {
            result = StepResult.Fail($"timed out after {Durations.Format(timeout)}; last seen: {step.Detail ?? "nothing"}");
        }
        else
        {
            var context = new StepContext(run, step, rollingBack ? "rollback" : "procedure", index, cluster, platform, _time) { Locks = _locks, Savepoints = _savepoints };
            try
            {
                result = await _steps[step.Kind].ExecuteAsync(context, cancellationToken);
            }
            catch (PlatformException e) when (e.IsTransient)
            {
                LogTransient(_logger, step.Kind, e.Message);
                result = new StepResult.Wait(cluster.EffectivePollInterval, $"cluster unavailable ({e.Message}); retrying");
            }
            catch (PlatformException e)
            {
                result = StepResult.Fail(e.Message);
            }
        }

        step.Detail = result.Detail;
        switch (result)
        {
            case StepResult.Wait wait:
                run.NextWakeAt = change.Now + wait.Delay;
                return;
            case StepResult.Done or StepResult.Skipped:
                step.Status = result is StepResult.Done ? StepStatus.Done : StepStatus.Skipped;
                step.EndedAt = change.Now;
                change.Record(Actor.System, TimelineEventKind.Step, $"{(result is StepResult.Done ? "✓" : "–")} {step.Title}: {result.Detail}", result.Evidence);
                run.NextWakeAt = change.Now;
                return;
            case StepResult.Uncertain:
                step.Status = StepStatus.Uncertain;
                step.EndedAt = change.Now;
                change.Record(Actor.System, TimelineEventKind.Step, $"? {step.Title}: {result.Detail}", result.Evidence);
                RunDecisions.Park(run, result.Evidence, change.Now);
                run.Summary = $"Parked at “{step.Title}”: {result.Detail}. An approver decides: retry the step, continue, " +
                              (rollingBack ? "or abandon." : "roll back, or abandon.");
                run.NextWakeAt = change.Now + RunDecisions.ReminderInterval;
                Fire(change, RunTrigger.StepUncertain, "the bot cannot tell safely what the cluster did; waiting for a person's decision");
                LogParked(_logger, run.Id.Value, step.Kind, result.Detail);
                return;
            case StepResult.Failed:
                step.Status = StepStatus.Failed;
                step.EndedAt = change.Now;
                change.Record(Actor.System, TimelineEventKind.Step, $"✗ {step.Title}: {result.Detail}", result.Evidence);
                run.NextWakeAt = change.Now;
                if (rollingBack)
                {
                    run.Summary = $"Rollback failed at “{step.Title}”: {result.Detail}";
                    run.HumanActions = HumanActions(run);
                    Fire(change, RunTrigger.RollbackAborted, "rollback failed; a human must act");
                }
                else if (spec.OnFailure == StepFailureMode.Abort)
                {
                    run.Summary = $"“{step.Title}” failed: {result.Detail}. The job was left as it was; nothing to roll back.";
                    Fire(change, RunTrigger.ProcedureAborted, "procedure aborted before changing the cluster");
                }
                else
                {
                    run.Summary = $"“{step.Title}” failed: {result.Detail}.";
                    Fire(change, RunTrigger.ProcedureFailed, "procedure failed; rolling back");
                }
                return;
        }
    }

    private async Task ValidateAsync(RunChange change, Recipe recipe, ClusterDefinition cluster, IFlinkPlatform platform, CancellationToken cancellationToken)
    {
        var run = change.Run;
        var context = NewCheckContext(run, recipe, cluster, platform);
        var results = new List<CheckResult>();
        foreach (var spec in recipe.Validation.Checks)
        {
            results.Add(await _checks[spec.Check].EvaluateAsync(context, spec, cancellationToken));
        }
        var previous = run.Validations.ToDictionary(r => r.Id, r => r.Outcome);
        run.Validations = results;
        foreach (var result in results.Where(r => previous.GetValueOrDefault(r.Id, (CheckOutcome)(-1)) != r.Outcome))
        {
            change.Record(Actor.System, TimelineEventKind.Check, $"{Symbol(result.Outcome)} {result.Title}: {result.Evidence}",
                new Dictionary<string, string> { ["check"] = result.Id, ["outcome"] = result.Outcome.ToString() });
        }

        var started = DateTimeOffset.Parse(run.Vars[RunVars.ValidationStartedAt], CultureInfo.InvariantCulture);
        var end = started + ValidationWindow(recipe, cluster);
        if (results.FirstOrDefault(r => r.Outcome == CheckOutcome.Fail) is { } failed)
        {
            run.Summary = $"Validation failed: {failed.Title}: {failed.Evidence}.";
            Fire(change, RunTrigger.ValidationFailed, "validation failed; rolling back");
            run.NextWakeAt = change.Now;
            return;
        }
        if (change.Now < end)
        {
            run.NextWakeAt = Min(change.Now + cluster.EffectivePollInterval, end);
            return;
        }
        if (results.FirstOrDefault(r => r.Outcome == CheckOutcome.Unknown) is { } unknown)
        {
            run.Summary = $"Validation could not be completed: {unknown.Title}: {unknown.Evidence}.";
            Fire(change, RunTrigger.ValidationFailed, "validation undecided at the end of the window; rolling back");
            run.NextWakeAt = change.Now;
            return;
        }
        await RecordDeploymentAsync(run, RunVars.TargetJarId, RunVars.NewJobId, RunVars.TargetParallelism, change.Now, cancellationToken);
        // A recipe that deploys nothing (steal-lock) ends with what its steps did.
        run.Summary = run.Vars.GetValueOrDefault(Steps.DeployVars.Outcome) is { } outcome
            ? $"{outcome} Validated for {Durations.Format(change.Now - started)}."
            : run.Vars.GetValueOrDefault(RunVars.NewJobId) is null
            ? string.Join("; ", run.Procedure.Select(s => s.Detail).Where(d => d is not null)) + "."
            : $"{JarNames.Display(run.Vars.GetValueOrDefault(RunVars.TargetJarId))} runs as JobID {run.Vars.GetValueOrDefault(RunVars.NewJobId)}, " +
                      (run.Vars.GetValueOrDefault(RunVars.SavepointPath) is { } restoredFrom ? $"restored from {restoredFrom}" : "started without state") +
                      $" and healthy for {Durations.Format(change.Now - started)}.";
        Fire(change, RunTrigger.ValidationPassed, "validation passed");
    }

    private Task RecordDeploymentAsync(Run run, string jarVar, string jobVar, string parallelismVar, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var jarId = run.Vars.GetValueOrDefault(jarVar);
        var jobId = run.Vars.GetValueOrDefault(jobVar);
        if (jarId is null || jobId is null) return Task.CompletedTask;
        var parallelism = int.TryParse(run.Vars.GetValueOrDefault(parallelismVar), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 0;
        return _ledger.RecordAsync(new DeploymentRecord(run.Cluster, run.JobName, jarId, JarNames.Display(jarId), jobId, parallelism, run.Id, now), cancellationToken);
    }

    private async Task FinishAsync(RunChange change, CancellationToken cancellationToken)
    {
        var run = change.Run;
        if (run.State.IsTerminal())
        {
            run.EndedAt ??= change.Now;
            run.NextWakeAt = null;
        }
        await _recorder.CommitAsync(change, cancellationToken);
        if (run.State.IsTerminal())
        {
            _seen.TryRemove(run.Id, out _);
            await _locks.ReleaseAsync(run.Cluster, run.JobName, run.Id, cancellationToken);
            LogEnded(_logger, run.Id.Value, run.State);
        }
    }

    /// <summary>Fires a trigger on the run's lifecycle and records the transition on its timeline.</summary>
    internal static void Fire(RunChange change, RunTrigger trigger, string why, Actor? actor = null)
    {
        var from = change.Run.State;
        RunLifecycle.For(change.Run).Fire(trigger);
        change.Record(actor ?? Actor.System, TimelineEventKind.Transition, $"{from} → {change.Run.State}: {why}",
            new Dictionary<string, string> { ["from"] = from.ToString(), ["to"] = change.Run.State.ToString(), ["trigger"] = trigger.ToString() });
    }

    private static List<string> HumanActions(Run run)
    {
        var actions = new List<string>();
        var savepoint = run.Vars.GetValueOrDefault(RunVars.SavepointPath);
        if (run.Vars.GetValueOrDefault(RunVars.NewJobId) is { } newJob)
        {
            actions.Add($"Make sure the new job {newJob} is cancelled: `PATCH /jobs/{newJob}?mode=cancel`.");
        }
        if (savepoint is not null)
        {
            var jar = run.Vars.GetValueOrDefault(RunVars.RollbackJarId) ?? "<previous jar id>";
            var parallelism = run.Vars.GetValueOrDefault(RunVars.PreviousParallelism) ?? "<parallelism>";
            actions.Add($"Start the previous version from the savepoint: `POST /jars/{jar}/run` with savepointPath `{savepoint}` and parallelism {parallelism} " +
                        $"(CLI: `flink run -s {savepoint} -p {parallelism} {JarNames.Display(jar)}`).");
        }
        actions.Add("Keep the savepoint until the job runs again; note what you did with `/flink timeline " + run.Id + "`.");
        return actions;
    }

    // A recipe with no validation checks (steal-lock) has nothing to watch, whatever the cluster's window.
    private static TimeSpan ValidationWindow(Recipe recipe, ClusterDefinition cluster) =>
        recipe.Validation.Checks.Count == 0 ? TimeSpan.Zero : cluster.ValidationWindow ?? recipe.Validation.Window;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static string Symbol(CheckOutcome outcome) => Cards.CardSymbols.Check(outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Step {StepKind} hit a transient cluster error, will retry: {Error}")]
    private static partial void LogTransient(ILogger logger, string stepKind, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId} parked for a decision at step {StepKind}: {Detail}")]
    private static partial void LogParked(ILogger logger, string runId, string stepKind, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId} ended {State}")]
    private static partial void LogEnded(ILogger logger, string runId, RunState state);
}
