using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Steps;

/// <summary>
/// <see cref="Run.Vars"/> keys of the recipes that create or replace jobs (deploy, resume, redeploy, scale, backfill,
/// savepoint), next to the upgrade's <see cref="RunVars"/>.
/// </summary>
public static class DeployVars
{
    /// <summary>The new job's program arguments, one per line (a chat line holds no line breaks).</summary>
    public const string ProgramArgs = "programArgs";

    /// <summary>The JobID of the production job a backfill reads from and must never touch (32 hex).</summary>
    public const string ProductionJobId = "backfill.productionJobId";

    /// <summary>The trigger id of a savepoint taken without stopping the job (32 hex), persisted before the call.</summary>
    public const string SavepointTriggerId = "savepoint.triggerId";

    /// <summary>Set once the savepoint trigger request has been sent at least once.</summary>
    public const string SavepointRequested = "savepoint.requested";

    /// <summary>
    /// How the run ended, in words, when the generic "jar runs as JobID …" does not say it (a backfill that caught up and
    /// was stopped); the engine's success summary then starts with it.
    /// </summary>
    public const string Outcome = "outcome";

    /// <summary>The program arguments stored in <see cref="ProgramArgs"/>, or an empty list.</summary>
    public static IReadOnlyList<string> Args(Run run) =>
        run.Vars.GetValueOrDefault(ProgramArgs) is { Length: > 0 } text ? text.Split('\n') : [];

    /// <summary>Stores <paramref name="args"/> as the new job's program arguments.</summary>
    public static void SetArgs(Run run, IEnumerable<string> args) => run.Vars[ProgramArgs] = string.Join('\n', args);
}
