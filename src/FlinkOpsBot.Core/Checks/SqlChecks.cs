using FlinkOpsBot.Core.Clusters;
using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Core.Recipes;

namespace FlinkOpsBot.Core.Checks;

/// <summary>
/// Shared plumbing of the SQL checks (recipe <c>sql-deploy</c>): the cluster's <see cref="ISqlPlatform"/>, or a failure that
/// says the cluster has none, and the statement inputs.
/// </summary>
internal abstract class SqlCheckBase : CheckBase
{
    /// <summary>The <c>Run.Vars</c> key of the compute pool the checks resolved (the input, or the environment's only pool).</summary>
    internal const string ComputePoolVar = "sql.computePool";

    protected sealed override Task<CheckResult> EvaluateCoreAsync(CheckContext context, CheckSpec spec, CancellationToken cancellationToken) =>
        context.Platform is ISqlPlatform sql
            ? EvaluateSqlAsync(context, sql, spec, cancellationToken)
            : Task.FromResult(Fail(NoSql(context.Cluster)));

    protected abstract Task<CheckResult> EvaluateSqlAsync(CheckContext context, ISqlPlatform sql, CheckSpec spec, CancellationToken cancellationToken);

    internal static string NoSql(ClusterDefinition cluster) =>
        $"cluster {cluster.Name} is {cluster.Platform}, which runs no SQL statements; use a {ClusterDefinition.Cmf} cluster (--cluster)";

    protected static string Environment(CheckContext context) => context.Cluster.Environment ?? "(no environment configured)";
}

/// <summary><c>cmf-reachable</c>: CMF answers (<c>GET /system-information</c>, 2.2+; older versions answer the environment read instead).</summary>
internal sealed class CmfReachableCheck : SqlCheckBase
{
    public override string Id => "cmf-reachable";

    protected override string Title => "CMF is reachable";

    protected override async Task<CheckResult> EvaluateSqlAsync(CheckContext context, ISqlPlatform sql, CheckSpec spec, CancellationToken cancellationToken)
    {
        var version = await sql.GetPlatformVersionAsync(cancellationToken);
        if (version is null) await sql.GetEnvironmentAsync(cancellationToken); // proves an answer from CMF ≤ 2.1
        return Pass($"CMF {version ?? "≤ 2.1 (no /system-information)"} at {context.Cluster.BaseUrl}") with { Basis = $"version={version ?? "<2.2"}" };
    }
}

/// <summary><c>environment-exists</c>: the cluster's CMF environment exists.</summary>
internal sealed class EnvironmentExistsCheck : SqlCheckBase
{
    public override string Id => "environment-exists";

    protected override string Title => "CMF environment exists";

    protected override async Task<CheckResult> EvaluateSqlAsync(CheckContext context, ISqlPlatform sql, CheckSpec spec, CancellationToken cancellationToken)
    {
        var env = await sql.GetEnvironmentAsync(cancellationToken);
        if (env is null)
        {
            return Fail($"environment {Environment(context)} does not exist in CMF; create it (`confluent flink environment create`) or fix the cluster's Environment setting");
        }
        var ns = env.KubernetesNamespace is null ? "" : $" (Kubernetes namespace {env.KubernetesNamespace})";
        return Pass($"{env.Name}{ns}") with { Basis = $"environment={env.Name}" };
    }
}

/// <summary>
/// <c>catalog-and-database-exist</c>: the Kafka catalog (<c>--catalog</c>) and its database (<c>--database</c>) exist. Without
/// either input the statement runs with the environment's defaults, which passes; a database without a catalog fails.
/// </summary>
internal sealed class CatalogAndDatabaseExistCheck : SqlCheckBase
{
    public override string Id => "catalog-and-database-exist";

    protected override string Title => "Catalog and database exist";

    protected override async Task<CheckResult> EvaluateSqlAsync(CheckContext context, ISqlPlatform sql, CheckSpec spec, CancellationToken cancellationToken)
    {
        var catalogName = context.Run.Inputs.GetValueOrDefault("catalog");
        var databaseName = context.Run.Inputs.GetValueOrDefault("database");
        if (catalogName is null && databaseName is null) return Pass("none given: the statement qualifies its tables itself or uses the environment's defaults");
        if (catalogName is null) return Fail($"--database {databaseName} needs --catalog: a database belongs to a Kafka catalog");
        var catalog = await sql.GetCatalogAsync(catalogName, cancellationToken);
        if (catalog is null) return Fail($"no Kafka catalog {catalogName} in CMF; `confluent flink catalog list` shows the catalogs");
        var registry = catalog.SchemaRegistryUrl is null ? "" : $" (Schema Registry {catalog.SchemaRegistryUrl})";
        if (databaseName is null) return Pass($"catalog {catalog.Name}{registry}") with { Basis = $"catalog={catalog.Name}" };
        var database = await sql.GetDatabaseAsync(catalogName, databaseName, cancellationToken);
        if (database is null) return Fail($"catalog {catalog.Name} has no database {databaseName}; `confluent flink catalog database list --catalog {catalog.Name}` shows them");
        var kafka = database.BootstrapServers is null ? "" : $", Kafka {database.BootstrapServers}";
        return Pass($"catalog {catalog.Name}{registry}, database {database.Name}{kafka}") with { Basis = $"catalog={catalog.Name}; database={database.Name}" };
    }
}

/// <summary>
/// <c>compute-pool-exists</c>: the compute pool (<c>--compute-pool</c>, default the environment's only pool) exists and can take
/// statements (phase RUNNING, or a DEDICATED pool that starts a cluster per statement). Records the pool for the procedure.
/// </summary>
internal sealed class ComputePoolExistsCheck : SqlCheckBase
{
    public override string Id => "compute-pool-exists";

    protected override string Title => "Compute pool is ready";

    protected override async Task<CheckResult> EvaluateSqlAsync(CheckContext context, ISqlPlatform sql, CheckSpec spec, CancellationToken cancellationToken)
    {
        ComputePool? pool;
        if (context.Run.Inputs.GetValueOrDefault("compute-pool") is { } wanted)
        {
            pool = await sql.GetComputePoolAsync(wanted, cancellationToken);
            if (pool is null) return Fail($"no compute pool {wanted} in environment {Environment(context)}; {await PoolsAsync(sql, cancellationToken)}");
        }
        else
        {
            var pools = await sql.ListComputePoolsAsync(cancellationToken);
            if (pools.Count != 1)
            {
                return Fail($"--compute-pool was not given and environment {Environment(context)} has {(pools.Count == 0 ? "no compute pool" : $"{pools.Count}: {string.Join(", ", pools.Select(p => p.Name))}")}; pass --compute-pool");
            }
            pool = pools[0];
        }
        var evidence = $"{pool.Name}: {pool.Phase ?? "no phase reported"}{(pool.Type is null ? "" : $", {pool.Type}")}{(pool.FlinkVersion is null ? "" : $", Flink {pool.FlinkVersion}")}" +
                       (pool.Message is null ? "" : $"; CMF says: {pool.Message}");
        var basis = $"pool={pool.Name}; phase={pool.Phase}";
        if (!pool.IsUsable) return Fail(evidence + "; statements cannot be placed on it until it is RUNNING") with { Basis = basis };
        context.Run.Vars[ComputePoolVar] = pool.Name;
        return Pass(evidence) with { Basis = basis };
    }

    private static async Task<string> PoolsAsync(ISqlPlatform sql, CancellationToken cancellationToken)
    {
        var pools = await sql.ListComputePoolsAsync(cancellationToken);
        return pools.Count == 0 ? "the environment has none" : "pools: " + string.Join(", ", pools.Select(p => $"{p.Name} ({p.Phase ?? "?"})"));
    }
}

/// <summary><c>statement-name-free</c>: no statement of the run's name exists in the environment.</summary>
internal sealed class StatementNameFreeCheck : SqlCheckBase
{
    public override string Id => "statement-name-free";

    protected override string Title => "Statement name is free";

    protected override async Task<CheckResult> EvaluateSqlAsync(CheckContext context, ISqlPlatform sql, CheckSpec spec, CancellationToken cancellationToken)
    {
        var name = context.Run.JobName;
        var existing = await sql.GetStatementAsync(name, cancellationToken);
        if (existing is null) return Pass($"no statement {name} in environment {Environment(context)}") with { Basis = $"statement={name}; exists=false" };
        var since = existing.CreatedAt is { } created ? $", created {Ago(context.Now, created)}" : "";
        return Fail($"statement {name} exists ({existing.Phase}{since}, pool {existing.ComputePool ?? "?"}); choose another name, or stop and delete it first") with
        {
            Basis = $"statement={name}; exists=true",
        };
    }
}

/// <summary>
/// <c>statement-running</c> (validation): the run's statement is RUNNING, or COMPLETED when it is bounded (it finished its work).
/// </summary>
internal sealed class StatementRunningCheck : SqlCheckBase
{
    public override string Id => "statement-running";

    protected override string Title => "Statement is RUNNING";

    protected override async Task<CheckResult> EvaluateSqlAsync(CheckContext context, ISqlPlatform sql, CheckSpec spec, CancellationToken cancellationToken)
    {
        var statement = await sql.GetStatementAsync(context.Run.JobName, cancellationToken);
        if (statement is null) return Fail($"statement {context.Run.JobName} no longer exists");
        var evidence = SqlText.Describe(statement);
        return statement.Phase == StatementPhase.Running || (statement.Phase == StatementPhase.Completed && statement.IsBounded != false)
            ? Pass(evidence)
            : Fail(evidence);
    }
}

/// <summary><c>statement-no-exceptions</c> (validation): the run's statement has reported no exception.</summary>
internal sealed class StatementNoExceptionsCheck : SqlCheckBase
{
    public override string Id => "statement-no-exceptions";

    protected override string Title => "Statement reports no exceptions";

    protected override async Task<CheckResult> EvaluateSqlAsync(CheckContext context, ISqlPlatform sql, CheckSpec spec, CancellationToken cancellationToken)
    {
        var exceptions = await sql.GetStatementExceptionsAsync(context.Run.JobName, cancellationToken);
        if (exceptions.Count == 0) return Pass("no exceptions");
        var newest = exceptions[0];
        var when = newest.At is { } at ? $" {Ago(context.Now, at)}" : "";
        return Fail($"{exceptions.Count} exception(s); newest{when}: {newest.Name}: {newest.Message}");
    }
}

/// <summary>How SQL statements read on a card.</summary>
internal static class SqlText
{
    /// <summary>"orders-agg is RUNNING (INSERT_INTO, unbounded) on pool pool-1, parallelism 2: detail".</summary>
    public static string Describe(Statement statement)
    {
        var traits = new List<string>();
        if (statement.SqlKind is { } kind) traits.Add(kind);
        if (statement.IsBounded is { } bounded) traits.Add(bounded ? "bounded" : "unbounded");
        var shape = traits.Count == 0 ? "" : $" ({string.Join(", ", traits)})";
        var parallelism = statement.Parallelism is { } p ? $", parallelism {p}" : "";
        var detail = statement.Detail is { Length: > 0 } d ? $": {d.TrimEnd('.')}" : "";
        var warning = statement.Warning is { Length: > 0 } w ? $" (CMF warns: {w})" : "";
        return $"{statement.Name} is {statement.Phase}{shape} on pool {statement.ComputePool ?? "?"}{parallelism}{detail}{warning}";
    }
}
