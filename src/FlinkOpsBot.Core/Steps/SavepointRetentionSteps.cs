using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Steps;

/// <summary>The run variables of a savepoint cleanup (<c>savepoint-cleanup</c> recipe).</summary>
public static class RetentionVars
{
    /// <summary>The savepoint names the plan deletes, comma-separated, as <c>savepoint-retention-plan</c> chose them at plan time.</summary>
    public const string Delete = "retention.delete";

    /// <summary>The savepoint names the plan keeps, comma-separated.</summary>
    public const string Keep = "retention.keep";

    /// <summary>The planned savepoints' paths, one <c>name=path</c> a line (the path empty when the catalog gave none).</summary>
    public const string DeletePaths = "retention.delete.paths";

    /// <summary>The names <c>delete-savepoints</c> has deleted so far (confirmed by the platform), comma-separated.</summary>
    public const string Deleted = "retention.deleted";

    /// <summary>The names in a comma-separated run variable; empty when it is unset or empty.</summary>
    public static IReadOnlyList<string> Names(Run run, string key) =>
        run.Vars.GetValueOrDefault(key) is { Length: > 0 } text ? text.Split(',', StringSplitOptions.RemoveEmptyEntries) : [];
}

/// <summary>
/// <c>delete-savepoints</c>: deletes exactly the savepoints recorded at plan time in <see cref="RetentionVars.Delete"/>,
/// one per call, through <see cref="IFlinkPlatform.DeleteSavepointAsync"/> (CMF <c>DELETE …/applications/{app}/savepoints/{name}</c>).
/// Each confirmed delete is marked in the bot's savepoint ledger (a record with that name or path, if the bot took it),
/// added to <see cref="RetentionVars.Deleted"/> and persisted before the next, so a resumed run
/// continues where it stopped; deleting again a name whose confirmation was lost is harmless (CMF answers 404, which the
/// platform treats as done). A delete the platform refuses (a non-transient error: 401/403, 409, 422, 500) fails the
/// step and leaves the rest untouched; transient errors escape for the engine to retry. Nothing is undone: a deleted
/// savepoint cannot be restored.
/// </summary>
internal sealed class DeleteSavepointsStep : IStep
{
    public string Kind => "delete-savepoints";

    public string Describe(Run run, IReadOnlyDictionary<string, string> with)
    {
        var names = RetentionVars.Names(run, RetentionVars.Delete);
        return names.Count == 0
            ? $"Delete the savepoints of {run.JobName} listed at plan time (not restorable afterwards)"
            : $"Delete {names.Count} savepoint(s) of {run.JobName}: {string.Join(", ", names)} (not restorable afterwards)";
    }

    public async Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        var run = context.Run;
        var planned = RetentionVars.Names(run, RetentionVars.Delete);
        var done = RetentionVars.Names(run, RetentionVars.Deleted).ToList();
        if (planned.Count == 0) return new StepResult.Skipped("the plan deletes no savepoint");

        if (planned.FirstOrDefault(name => !done.Contains(name, StringComparer.Ordinal)) is not { } next)
        {
            return StepResult.Ok($"{done.Count} savepoint(s) of {run.JobName} deleted: {string.Join(", ", done)}",
                ("application", run.JobName), ("deleted", string.Join(", ", done)));
        }

        try
        {
            await context.Platform.DeleteSavepointAsync(run.JobName, next, cancellationToken);
        }
        catch (PlatformException e) when (!e.IsTransient)
        {
            var left = planned.Where(name => !done.Contains(name, StringComparer.Ordinal)).ToList();
            return StepResult.Fail(
                $"cluster {context.Cluster.Name} refused to delete savepoint {next} of {run.JobName}: {e.Message}; " +
                (done.Count == 0 ? "none was deleted" : $"deleted before: {string.Join(", ", done)}") + $"; not deleted: {string.Join(", ", left)}",
                ("application", run.JobName), ("refused", next), ("status", e.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                ("deleted", string.Join(", ", done)), ("notDeleted", string.Join(", ", left)));
        }
        await MarkDeletedInLedgerAsync(context, next, cancellationToken);
        done.Add(next);
        run.Vars[RetentionVars.Deleted] = string.Join(",", done);
        return new StepResult.Wait(TimeSpan.Zero, $"savepoint {next} deleted ({done.Count} of {planned.Count})");
    }

    // A savepoint the bot took itself (e.g. an upgrade's stop-with-savepoint) is also in its savepoint ledger, by trigger id
    // and path: mark it deleted there, so `--from last-savepoint` and /flink savepoints do not offer it again. Marking is
    // idempotent (the first time is kept).
    private static async Task MarkDeletedInLedgerAsync(StepContext context, string name, CancellationToken cancellationToken)
    {
        if (context.Savepoints is not { } ledger) return;
        var path = (context.Run.Vars.GetValueOrDefault(RetentionVars.DeletePaths) ?? "")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .FirstOrDefault(pair => pair.Length == 2 && pair[0] == name)?[1];
        var records = await ledger.ListAsync(context.Run.Cluster, context.Run.JobName, 1000, cancellationToken);
        foreach (var record in records.Where(r => r.Name == name || (path is { Length: > 0 } && r.Path == path)))
        {
            await ledger.MarkDeletedAsync(context.Run.Cluster, context.Run.JobName, record.Name, context.Now, cancellationToken);
        }
    }
}
