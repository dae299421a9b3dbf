using System.Globalization;
using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Core.Runs;

namespace FlinkOpsBot.Core.Steps;

/// <summary>The SQL steps' access to the cluster's <see cref="ISqlPlatform"/> and the run's statement request.</summary>
internal static class SqlStepContext
{
    public static ISqlPlatform? Sql(StepContext context) => context.Platform as ISqlPlatform;

    public static StepResult NoSql(StepContext context) => StepResult.Fail(SqlCheckBase.NoSql(context.Cluster));

    /// <summary>The statement the run asks for: its name, <c>--sql</c>, the pool the preconditions resolved, <c>--catalog</c>, <c>--database</c>, <c>--parallelism</c>.</summary>
    public static StatementRequest? Request(Run run) =>
        run.Inputs.GetValueOrDefault("sql") is { } sql && (run.Vars.GetValueOrDefault(SqlCheckBase.ComputePoolVar) ?? run.Inputs.GetValueOrDefault("compute-pool")) is { } pool
            ? new StatementRequest(run.JobName, sql, pool, run.Inputs.GetValueOrDefault("catalog"), run.Inputs.GetValueOrDefault("database"),
                int.TryParse(run.Inputs.GetValueOrDefault("parallelism"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : null)
            : null;

    public static (string, string)[] Evidence(Statement statement) =>
    [
        ("statement", statement.Name),
        ("phase", statement.Phase.Value),
        ("computePool", statement.ComputePool ?? ""),
        .. statement.SqlKind is { } kind ? new[] { ("sqlKind", kind) } : [],
        .. statement.Detail is { } detail ? new[] { ("detail", detail) } : [],
    ];
}

/// <summary>
/// <c>create-statement</c>: creates the run's SQL statement (CMF <c>POST /environments/{env}/statements</c>). Idempotent: the
/// intent is persisted before the request; a statement of that name that already exists with the same spec (SQL, pool,
/// catalog, database, parallelism) is taken as this run's own earlier request, one with another spec fails the step. A
/// compile error, which CMF answers synchronously with a FAILED statement, fails the step with CMF's detail.
/// </summary>
internal sealed class CreateStatementStep : IStep
{
    public string Kind => "create-statement";

    public string Describe(Run run, IReadOnlyDictionary<string, string> with)
    {
        var pool = run.Vars.GetValueOrDefault(SqlCheckBase.ComputePoolVar) ?? run.Inputs.GetValueOrDefault("compute-pool") ?? "the environment's pool";
        var where = run.Inputs.GetValueOrDefault("catalog") is { } catalog
            ? $" in {catalog}{(run.Inputs.GetValueOrDefault("database") is { } db ? "." + db : "")}"
            : "";
        return $"Create statement {run.JobName} on pool {pool}{where}";
    }

    public async Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (SqlStepContext.Sql(context) is not { } sql) return SqlStepContext.NoSql(context);
        var run = context.Run;
        if (SqlStepContext.Request(run) is not { } request) return StepResult.Fail("the run has no --sql or no compute pool; nothing to create");
        if (context.Scratch("intent") is null)
        {
            context.SetScratch("intent", context.Now.ToString("O", CultureInfo.InvariantCulture));
            return new StepResult.Wait(TimeSpan.Zero, "statement request recorded");
        }

        if (await sql.GetStatementAsync(request.Name, cancellationToken) is { } existing) return Existing(existing, request);
        Statement created;
        try
        {
            created = await sql.CreateStatementAsync(request, cancellationToken);
        }
        catch (PlatformException e) when (e.StatusCode == 409)
        {
            // Created between the read and the request (by a lost earlier answer, or by someone else): the spec decides.
            return await sql.GetStatementAsync(request.Name, cancellationToken) is { } raced
                ? Existing(raced, request)
                : StepResult.Fail($"CMF says statement {request.Name} exists but does not show it: {e.Message}", ("statement", request.Name));
        }
        catch (PlatformException e) when (!e.IsTransient)
        {
            return StepResult.Fail($"CMF refused statement {request.Name}: {e.Message}", ("statement", request.Name), ("status", e.StatusCode.ToString(CultureInfo.InvariantCulture)));
        }
        return Outcome(created, "created");
    }

    private static StepResult Existing(Statement existing, StatementRequest request) =>
        existing.Matches(request)
            ? Outcome(existing, "already created by this run")
            : StepResult.Fail($"a statement named {request.Name} already exists with another spec ({SqlText.Describe(existing)}); this run did not create it and leaves it alone",
                SqlStepContext.Evidence(existing));

    private static StepResult Outcome(Statement statement, string how) =>
        statement.Phase == StatementPhase.Failed
            ? StepResult.Fail($"CMF rejected the statement: {statement.Detail?.TrimEnd('.') ?? "FAILED without a detail"}", SqlStepContext.Evidence(statement))
            : StepResult.Ok($"statement {statement.Name} {how}; {statement.Phase}", SqlStepContext.Evidence(statement));
}

/// <summary>
/// <c>await-statement</c>: waits until the run's statement is RUNNING, or COMPLETED when it is bounded (DDL, a bounded INSERT).
/// FAILED or FAILING fails the step with CMF's <c>status.detail</c> and the newest exception.
/// </summary>
internal sealed class AwaitStatementStep : IStep
{
    public string Kind => "await-statement";

    public string Describe(Run run, IReadOnlyDictionary<string, string> with) =>
        $"Wait until statement {run.JobName} is RUNNING (or COMPLETED, if bounded)";

    public async Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (SqlStepContext.Sql(context) is not { } sql) return SqlStepContext.NoSql(context);
        var name = context.Run.JobName;
        var statement = await sql.GetStatementAsync(name, cancellationToken);
        if (statement is null) return StepResult.Fail($"statement {name} no longer exists", ("statement", name));
        if (statement.Phase == StatementPhase.Running || statement.Phase == StatementPhase.Completed)
        {
            return StepResult.Ok(SqlText.Describe(statement), SqlStepContext.Evidence(statement));
        }
        if (statement.Phase == StatementPhase.Failed || statement.Phase == StatementPhase.Failing)
        {
            var exceptions = await sql.GetStatementExceptionsAsync(name, cancellationToken);
            var newest = exceptions.Count > 0 ? $"; newest exception: {exceptions[0].Name}: {exceptions[0].Message}" : "";
            return StepResult.Fail(SqlText.Describe(statement) + newest, SqlStepContext.Evidence(statement));
        }
        if (statement.Phase == StatementPhase.Stopped || statement.Phase == StatementPhase.Deleting)
        {
            return StepResult.Fail($"{SqlText.Describe(statement)}; someone stopped or deleted it while it started", SqlStepContext.Evidence(statement));
        }
        return new StepResult.Wait(context.Cluster.EffectivePollInterval, SqlText.Describe(statement));
    }
}

/// <summary>
/// <c>stop-statement</c> (rollback): stops the run's statement (CMF <c>PUT</c> with <c>spec.stopped: true</c>) and waits for
/// STOPPED. Stop rather than delete: a stop takes a savepoint and keeps the statement, so a person can read its exceptions and
/// resume it from that savepoint once fixed; delete would drop both. A statement that is not running (FAILED, COMPLETED,
/// STOPPED) or not there is left as it is.
/// </summary>
internal sealed class StopStatementStep : IStep
{
    public string Kind => "stop-statement";

    public string Describe(Run run, IReadOnlyDictionary<string, string> with) =>
        $"Stop statement {run.JobName} (keeps it and its savepoint for a resume)";

    public async Task<StepResult> ExecuteAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (SqlStepContext.Sql(context) is not { } sql) return SqlStepContext.NoSql(context);
        var name = context.Run.JobName;
        var statement = await sql.GetStatementAsync(name, cancellationToken);
        if (statement is null) return new StepResult.Skipped($"statement {name} does not exist");
        if (statement.Phase == StatementPhase.Stopped)
        {
            return context.Scratch("requested") is null
                ? new StepResult.Skipped($"{name} was already STOPPED")
                : StepResult.Ok($"{name} is STOPPED", SqlStepContext.Evidence(statement));
        }
        if (statement.Phase == StatementPhase.Failed || statement.Phase == StatementPhase.Completed || statement.Phase == StatementPhase.Deleting)
        {
            return new StepResult.Skipped($"nothing runs ({name} is {statement.Phase}); the statement is kept in CMF for its diagnosis");
        }
        if (context.Scratch("requested") is null)
        {
            await sql.SetStatementStoppedAsync(name, true, cancellationToken); // idempotent: the same spec.stopped twice
            context.SetScratch("requested", "true");
            return new StepResult.Wait(context.Cluster.EffectivePollInterval, $"stop requested for {name}");
        }
        return new StepResult.Wait(context.Cluster.EffectivePollInterval, SqlText.Describe(statement));
    }
}
