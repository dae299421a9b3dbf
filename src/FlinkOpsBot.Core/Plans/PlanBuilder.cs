using System.Globalization;
using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Steps;

namespace FlinkOpsBot.Core.Plans;

/// <summary>
/// Builds a run's <see cref="RunPlan"/> from what its preconditions resolved (<see cref="Run.Vars"/>), its inputs, its
/// planned steps and precondition results, and estimates the downtime. Pure: the caller reads the cluster.
/// </summary>
public static class PlanBuilder
{
    /// <summary>How many recent completed checkpoints and savepoints the downtime estimate looks at: 10.</summary>
    public const int DowntimeSample = 10;

    /// <summary>The time allowed for submitting the new job and scheduling its tasks, added to the estimate: 30 seconds.</summary>
    public static readonly TimeSpan StartupAllowance = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The plan of <paramref name="run"/> as it stands: call after its preconditions were evaluated and its steps planned.
    /// <paramref name="checkpoints"/> (the job's checkpoint statistics, or null when unknown) feeds the downtime estimate.
    /// </summary>
    public static RunPlan Build(Run run, CheckpointStats? checkpoints)
    {
        ArgumentNullException.ThrowIfNull(run);
        var currentJar = run.Vars.GetValueOrDefault(RunVars.RollbackJarId);
        return new RunPlan(
            run.RecipeId,
            run.Cluster,
            run.JobName,
            run.JobId,
            currentJar,
            run.Vars.GetValueOrDefault(RunVars.TargetJarId),
            Int(run.Vars.GetValueOrDefault(RunVars.PreviousParallelism)),
            Int(run.Vars.GetValueOrDefault(RunVars.TargetParallelism)),
            run.Vars.GetValueOrDefault(RunVars.SavepointDirectory),
            run.Inputs.ContainsKey("allow-non-restored-state"),
            currentJar is null ? null : $"{JarNames.Display(currentJar)} from the same savepoint",
            run.Procedure.Select(s => $"{s.Kind}: {s.Title}").ToList(),
            run.Rollback.Select(s => $"{s.Kind}: {s.Title}").ToList(),
            run.Preconditions.Select(c => new PlanCheck(c.Id, c.Title, c.Outcome, c.Basis)).ToList(),
            EstimateDowntime(checkpoints))
        {
            Facts = PlanFacts.All(run).Select(f => $"{f.Label}: {f.Value}").ToList(),
        };
    }

    /// <summary>
    /// The expected downtime of a stop-with-savepoint and restore: twice the slowest of the job's last
    /// <see cref="DowntimeSample"/> completed checkpoints and savepoints (once to write the savepoint, once to restore
    /// from it; a savepoint is a full snapshot, so the newest savepoint's duration counts when it is slower), plus
    /// <see cref="StartupAllowance"/>. Null when the job has no completed checkpoint to go by.
    /// </summary>
    public static DowntimeEstimate? EstimateDowntime(CheckpointStats? checkpoints)
    {
        var durations = (checkpoints?.History ?? [])
            .Where(c => c.Status == "COMPLETED" && c.CompletedAt is not null)
            .Take(DowntimeSample)
            .Select(c => (c.CompletedAt!.Value - c.TriggeredAt, c.IsSavepoint))
            .Where(d => d.Item1 >= TimeSpan.Zero)
            .ToList();
        if (durations.Count == 0) return null;
        var (slowest, isSavepoint) = durations.MaxBy(d => d.Item1);
        var seconds = (int)Math.Ceiling((2 * slowest + StartupAllowance).TotalSeconds);
        var what = isSavepoint ? "a recent savepoint, the slowest" : $"the slowest of the last {durations.Count} checkpoints";
        return new DowntimeEstimate(seconds,
            $"2 × {Durations.Format(slowest)} ({what}: once to write the savepoint, once to restore it) + {Durations.Format(StartupAllowance)} to submit and schedule the new job");
    }

    private static int? Int(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}
