using System.Net;
using System.Text.Json.Nodes;
using FlinkOpsBot.Core.Platforms;

namespace FlinkOpsBot.Flink.Cmf;

// ISqlPlatform over CMF's SQL resources (CMF 2.0+): environments, Kafka catalogs and databases, compute pools, statements.
internal sealed partial class CmfPlatform
{
    private const string CatalogProperty = "sql.current-catalog";
    private const string DatabaseProperty = "sql.current-database";

    private string Statement(string name) => $"{Env}/statements/{Escape(name)}";

    /// <inheritdoc />
    public async Task<string?> GetPlatformVersionAsync(CancellationToken cancellationToken) =>
        CmfJson.Str(await _cmf.GetAsync("system-information", cancellationToken), "status.version");

    /// <inheritdoc />
    public async Task<SqlEnvironment?> GetEnvironmentAsync(CancellationToken cancellationToken) =>
        await _cmf.GetAsync(Env, cancellationToken) is { } env
            ? new SqlEnvironment(CmfJson.Str(env, "name") ?? CmfJson.Str(env, "metadata.name") ?? _environment, CmfJson.Str(env, "kubernetesNamespace"),
                CmfJson.Time(env, "created_time") ?? CmfJson.Time(env, "metadata.creationTimestamp"))
            : null;

    /// <inheritdoc />
    public async Task<SqlCatalog?> GetCatalogAsync(string catalog, CancellationToken cancellationToken) =>
        await _cmf.GetAsync($"catalogs/kafka/{Escape(catalog)}", cancellationToken) is { } found
            ? new SqlCatalog(CmfJson.Str(found, "metadata.name") ?? catalog,
                CmfJson.At(found, "spec.srInstance.connectionConfig") is JsonObject sr && sr["schema.registry.url"] is JsonValue url ? url.ToString() : null,
                CmfJson.At(found, "spec.kafkaClusters") is JsonArray clusters
                    ? [.. clusters.Select(c => CmfJson.Str(c, "databaseName")).OfType<string>()]
                    : [])
            : null;

    /// <inheritdoc />
    public async Task<SqlDatabase?> GetDatabaseAsync(string catalog, string database, CancellationToken cancellationToken)
    {
        var found = await _cmf.GetAsync($"catalogs/kafka/{Escape(catalog)}/databases/{Escape(database)}", cancellationToken);
        if (found is not null)
        {
            // CMF 2.3 renamed spec.alterEnvironments (2.1, 2.2) to spec.ddlEnvironments; either is read.
            var ddl = CmfJson.Strings(found, "spec.ddlEnvironments").Concat(CmfJson.Strings(found, "spec.alterEnvironments")).Distinct(StringComparer.Ordinal);
            var bootstrap = CmfJson.At(found, "spec.kafkaCluster.connectionConfig") is JsonObject config && config["bootstrap.servers"] is JsonValue servers
                ? servers.ToString() : null;
            return new SqlDatabase(catalog, CmfJson.Str(found, "metadata.name") ?? database, bootstrap, [.. ddl]);
        }
        // CMF 2.0 had no database resources: a catalog listed its Kafka clusters, each a database.
        return await GetCatalogAsync(catalog, cancellationToken) is { } parent && parent.EmbeddedDatabases.Contains(database, StringComparer.Ordinal)
            ? new SqlDatabase(catalog, database, null, [])
            : null;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ComputePool>> ListComputePoolsAsync(CancellationToken cancellationToken) =>
        [.. (await _cmf.ListAsync($"{Env}/compute-pools", cancellationToken)).Select(ToComputePool)];

    /// <inheritdoc />
    public async Task<ComputePool?> GetComputePoolAsync(string computePool, CancellationToken cancellationToken) =>
        await _cmf.GetAsync($"{Env}/compute-pools/{Escape(computePool)}", cancellationToken) is { } pool ? ToComputePool(pool) : null;

    /// <inheritdoc />
    public async Task<Statement?> GetStatementAsync(string name, CancellationToken cancellationToken) =>
        await _cmf.GetAsync(Statement(name), cancellationToken) is { } statement ? ToStatement(statement) : null;

    /// <inheritdoc />
    public async Task<Statement> CreateStatementAsync(StatementRequest request, CancellationToken cancellationToken)
    {
        var properties = new JsonObject();
        if (request.Catalog is not null) properties[CatalogProperty] = request.Catalog;
        if (request.Database is not null) properties[DatabaseProperty] = request.Database;
        var spec = new JsonObject
        {
            ["statement"] = request.Sql,
            ["computePoolName"] = request.ComputePool,
            ["properties"] = properties,
            ["stopped"] = false,
        };
        if (request.Parallelism is { } parallelism) spec["parallelism"] = parallelism;
        var body = new JsonObject
        {
            ["apiVersion"] = "cmf.confluent.io/v1",
            ["kind"] = "Statement",
            ["metadata"] = new JsonObject { ["name"] = request.Name },
            ["spec"] = spec,
        };
        var (_, answer) = await _cmf.SendAsync(HttpMethod.Post, $"{Env}/statements", body, cancellationToken);
        // Some versions answer with an empty body: read the statement back.
        var created = answer is JsonObject returned && CmfJson.Str(returned, "metadata.name") is not null
            ? ToStatement(returned)
            : await GetStatementAsync(request.Name, cancellationToken)
              ?? throw new CmfApiException($"CMF accepted statement {request.Name} but does not show it.", 404);
        CmfLog.StatementCreated(_logger, _cmf.ClusterName, request.Name, created.Phase.Value);
        return created;
    }

    /// <inheritdoc />
    public async Task<Statement?> SetStatementStoppedAsync(string name, bool stopped, CancellationToken cancellationToken)
    {
        var current = await _cmf.GetAsync(Statement(name), cancellationToken);
        if (current is null) return null;
        if (CmfJson.Bool(current, "spec.stopped") == stopped) return ToStatement(current);
        var body = new JsonObject
        {
            ["apiVersion"] = current["apiVersion"]?.DeepClone() ?? "cmf.confluent.io/v1",
            ["kind"] = current["kind"]?.DeepClone() ?? "Statement",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = current["spec"]?.DeepClone() ?? new JsonObject(),
        };
        CmfJson.Obj(body, "spec")["stopped"] = stopped;
        await _cmf.SendAsync(HttpMethod.Put, Statement(name), body, cancellationToken, retrySafe: true); // the same PUT twice is the same state
        CmfLog.StatementStopped(_logger, _cmf.ClusterName, name, stopped);
        return await GetStatementAsync(name, cancellationToken);
    }

    /// <inheritdoc />
    public async Task DeleteStatementAsync(string name, CancellationToken cancellationToken)
    {
        await _cmf.SendAsync(HttpMethod.Delete, Statement(name), null, cancellationToken, notFoundIsValue: true, retrySafe: true);
        CmfLog.StatementDeleted(_logger, _cmf.ClusterName, name);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StatementException>> GetStatementExceptionsAsync(string name, CancellationToken cancellationToken)
    {
        var (status, body) = await _cmf.SendAsync(HttpMethod.Get, $"{Statement(name)}/exceptions", null, cancellationToken, notFoundIsValue: true);
        if (status == HttpStatusCode.NotFound || CmfJson.At(body, "data") is not JsonArray data) return [];
        return [.. data.OfType<JsonObject>()
            .Select(e => new StatementException(CmfJson.Str(e, "name") ?? "exception", FirstLine(CmfJson.Str(e, "message") ?? ""), CmfJson.Time(e, "timestamp")))
            .OrderByDescending(e => e.At ?? DateTimeOffset.MinValue)];
    }

    private static ComputePool ToComputePool(JsonObject pool) => new(
        CmfJson.Str(pool, "metadata.name") ?? "",
        CmfJson.Str(pool, "spec.type"),
        CmfJson.Str(pool, "status.phase")?.ToUpperInvariant(),
        CmfJson.Str(pool, "spec.clusterSpec.flinkVersion"),
        CmfJson.Str(pool, "status.warning") ?? CmfJson.Str(pool, "status.message"));

    private static Statement ToStatement(JsonObject statement)
    {
        var properties = CmfJson.At(statement, "spec.properties") as JsonObject;
        string? Property(string key) => properties?[key] is JsonValue value ? value.ToString() : null;
        return new Statement(
            CmfJson.Str(statement, "metadata.name") ?? "",
            CmfJson.Str(statement, "spec.statement") ?? "",
            CmfJson.Str(statement, "spec.computePoolName"),
            Property(CatalogProperty),
            Property(DatabaseProperty),
            CmfJson.Int(statement, "spec.parallelism"),
            CmfJson.Bool(statement, "spec.stopped") ?? false,
            StatementPhase.Parse(CmfJson.Str(statement, "status.phase")),
            CmfJson.Str(statement, "status.detail") is { Length: > 0 } detail ? FirstLine(detail) : null,
            CmfJson.Str(statement, "status.traits.sqlKind"),
            CmfJson.Bool(statement, "status.traits.isBounded"),
            CmfJson.Time(statement, "metadata.creationTimestamp"),
            CmfJson.Str(statement, "status.warning"));
    }
}
