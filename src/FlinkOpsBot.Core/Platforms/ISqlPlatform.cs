namespace FlinkOpsBot.Core.Platforms;

/// <summary>
/// SQL on a platform that runs Flink SQL statements as managed resources: Confluent Manager for Apache Flink (CMF 2.0+,
/// <c>/cmf/api/v1</c>). Implemented by the <c>cmf</c> platform next to <see cref="IFlinkPlatform"/>; a step or check gets
/// it with <c>context.Platform as ISqlPlatform</c> and refuses clearly when the cluster's platform has no SQL.
/// Reads return null for "not found" (404); other failures throw <see cref="PlatformException"/> with the remote status
/// and the first line of the remote error.
/// </summary>
public interface ISqlPlatform
{
    /// <summary>The platform's version, e.g. <c>2.3.1</c>, or null before CMF 2.2 (no endpoint). CMF <c>GET /system-information</c>.</summary>
    Task<string?> GetPlatformVersionAsync(CancellationToken cancellationToken);

    /// <summary>The environment this cluster is bound to, or null when it does not exist. CMF <c>GET /environments/{env}</c>.</summary>
    Task<SqlEnvironment?> GetEnvironmentAsync(CancellationToken cancellationToken);

    /// <summary>A Kafka catalog, or null. CMF <c>GET /catalogs/kafka/{catalog}</c> (catalogs are global, not per environment).</summary>
    Task<SqlCatalog?> GetCatalogAsync(string catalog, CancellationToken cancellationToken);

    /// <summary>
    /// A database (a Kafka cluster) of a Kafka catalog, or null. CMF 2.1+ <c>GET /catalogs/kafka/{catalog}/databases/{db}</c>;
    /// on CMF 2.0 the catalog's embedded <c>spec.kafkaClusters[].databaseName</c> is consulted instead.
    /// </summary>
    Task<SqlDatabase?> GetDatabaseAsync(string catalog, string database, CancellationToken cancellationToken);

    /// <summary>The compute pools of the environment. CMF <c>GET /environments/{env}/compute-pools</c> (all pages).</summary>
    Task<IReadOnlyList<ComputePool>> ListComputePoolsAsync(CancellationToken cancellationToken);

    /// <summary>A compute pool, or null. CMF <c>GET /environments/{env}/compute-pools/{pool}</c>.</summary>
    Task<ComputePool?> GetComputePoolAsync(string computePool, CancellationToken cancellationToken);

    /// <summary>A statement, or null. CMF <c>GET /environments/{env}/statements/{name}</c>.</summary>
    Task<Statement?> GetStatementAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// Creates a statement. CMF answers compile errors synchronously: the returned statement is then FAILED with the error in
    /// <see cref="Statement.Detail"/>. Throws <see cref="PlatformException"/> with status 409 when a statement of that name
    /// exists (the caller compares specs), 422 for an invalid spec, 404 when the environment does not exist.
    /// CMF <c>POST /environments/{env}/statements</c>. Never retried.
    /// </summary>
    Task<Statement> CreateStatementAsync(StatementRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Stops (<paramref name="stopped"/> true: takes a savepoint and frees the statement's resources) or resumes (false; from
    /// STOPPED only, restoring from the stop's savepoint) a statement: GET, then PUT the same body with <c>spec.stopped</c>.
    /// Idempotent. Returns the statement as read after the PUT, or null when it does not exist.
    /// CMF <c>PUT /environments/{env}/statements/{name}</c>.
    /// </summary>
    Task<Statement?> SetStatementStoppedAsync(string name, bool stopped, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes a statement and its Kubernetes resources; succeeds when it is already gone. CMF may accept the deletion
    /// asynchronously (202): poll <see cref="GetStatementAsync"/> until null. CMF <c>DELETE /environments/{env}/statements/{name}</c>.
    /// </summary>
    Task DeleteStatementAsync(string name, CancellationToken cancellationToken);

    /// <summary>
    /// The statement's newest exceptions (CMF keeps the last 10), newest first; empty when there are none or the statement
    /// does not exist. CMF <c>GET /environments/{env}/statements/{name}/exceptions</c>.
    /// </summary>
    Task<IReadOnlyList<StatementException>> GetStatementExceptionsAsync(string name, CancellationToken cancellationToken);
}

/// <summary>A CMF environment (CMF <c>Environment</c>).</summary>
/// <param name="Name">The environment's name.</param>
/// <param name="KubernetesNamespace">The namespace its applications and statements run in, if reported.</param>
/// <param name="CreatedAt">When it was created (UTC), if reported.</param>
public sealed record SqlEnvironment(string Name, string? KubernetesNamespace, DateTimeOffset? CreatedAt);

/// <summary>A Kafka catalog (CMF <c>KafkaCatalog</c>): a Schema Registry whose subjects are the tables of its databases.</summary>
/// <param name="Name">The catalog's name (<c>sql.current-catalog</c>).</param>
/// <param name="SchemaRegistryUrl">The Schema Registry URL (<c>spec.srInstance.connectionConfig["schema.registry.url"]</c>), if reported.</param>
/// <param name="EmbeddedDatabases">Database names embedded in the catalog (CMF 2.0's <c>spec.kafkaClusters[].databaseName</c>); empty from 2.1 on, where databases are resources of their own.</param>
public sealed record SqlCatalog(string Name, string? SchemaRegistryUrl, IReadOnlyList<string> EmbeddedDatabases);

/// <summary>A database of a Kafka catalog (CMF 2.1+ <c>KafkaDatabase</c>): one Kafka cluster whose topics are tables.</summary>
/// <param name="Catalog">The catalog it belongs to.</param>
/// <param name="Name">The database's name (<c>sql.current-database</c>).</param>
/// <param name="BootstrapServers">The Kafka cluster's <c>bootstrap.servers</c>, if reported.</param>
/// <param name="DdlEnvironments">Environments allowed to run DDL on it (<c>spec.ddlEnvironments</c>, named <c>alterEnvironments</c> before CMF 2.3).</param>
public sealed record SqlDatabase(string Catalog, string Name, string? BootstrapServers, IReadOnlyList<string> DdlEnvironments);

/// <summary>A compute pool (CMF <c>ComputePool</c>): the Flink cluster template statements run on.</summary>
/// <param name="Name">The pool's name.</param>
/// <param name="Type"><c>DEDICATED</c> (one Flink cluster per statement) or <c>SHARED</c> (a session cluster), as CMF sends it.</param>
/// <param name="Phase">CMF's <c>status.phase</c> as sent (upper case), e.g. <c>RUNNING</c>, <c>PENDING</c>, <c>FAILED</c>, <c>SUSPENDED</c>; null when not reported.</param>
/// <param name="FlinkVersion">The pool's Flink version, e.g. <c>v1_19</c>, if set.</param>
/// <param name="Message">CMF's status message or stale-status warning, if any.</param>
public sealed record ComputePool(string Name, string? Type, string? Phase, string? FlinkVersion, string? Message)
{
    /// <summary>
    /// True when statements can be placed on the pool: its phase is RUNNING, or CMF reports none or only its type
    /// (DEDICATED pools have no cluster until a statement needs one, so CMF reports no running phase for them).
    /// </summary>
    public bool IsUsable => Phase is null || string.Equals(Phase, "RUNNING", StringComparison.OrdinalIgnoreCase)
        || string.Equals(Phase, "DEDICATED", StringComparison.OrdinalIgnoreCase);
}

/// <summary>What to create: a Flink SQL statement (CMF <c>Statement</c> spec).</summary>
/// <param name="Name">The statement's name (CMF's resource-name rule: lower case, digits, '-', '.', 4–253 characters).</param>
/// <param name="Sql">The SQL text (<c>spec.statement</c>).</param>
/// <param name="ComputePool">The compute pool to run on (<c>spec.computePoolName</c>).</param>
/// <param name="Catalog">The current catalog (<c>spec.properties["sql.current-catalog"]</c>), or null for the environment's default.</param>
/// <param name="Database">The current database (<c>spec.properties["sql.current-database"]</c>), or null.</param>
/// <param name="Parallelism">The statement's parallelism (<c>spec.parallelism</c>), or null for CMF's default (1).</param>
public sealed record StatementRequest(string Name, string Sql, string ComputePool, string? Catalog, string? Database, int? Parallelism);

/// <summary>A Flink SQL statement (CMF <c>Statement</c>).</summary>
/// <param name="Name">The statement's name.</param>
/// <param name="Sql">Its SQL text.</param>
/// <param name="ComputePool">The compute pool it runs on.</param>
/// <param name="Catalog">Its <c>sql.current-catalog</c>, if set.</param>
/// <param name="Database">Its <c>sql.current-database</c>, if set.</param>
/// <param name="Parallelism">Its <c>spec.parallelism</c>, if set.</param>
/// <param name="Stopped">Its <c>spec.stopped</c>.</param>
/// <param name="Phase">Where it is (<c>status.phase</c>).</param>
/// <param name="Detail">CMF's <c>status.detail</c>: the compile error of a FAILED statement, or progress text; null if none.</param>
/// <param name="SqlKind">The statement's kind (<c>status.traits.sqlKind</c>, e.g. <c>INSERT_INTO</c>, <c>SELECT</c>), once known.</param>
/// <param name="IsBounded">Whether it ends on its own (<c>status.traits.isBounded</c>), once known.</param>
/// <param name="CreatedAt">When it was created (<c>metadata.creationTimestamp</c>, UTC), if reported.</param>
/// <param name="Warning">CMF's stale-status warning (2.3+), e.g. when its Kubernetes cluster is disconnected.</param>
public sealed record Statement(
    string Name,
    string Sql,
    string? ComputePool,
    string? Catalog,
    string? Database,
    int? Parallelism,
    bool Stopped,
    StatementPhase Phase,
    string? Detail,
    string? SqlKind,
    bool? IsBounded,
    DateTimeOffset? CreatedAt,
    string? Warning = null)
{
    /// <summary>True when this statement is what <paramref name="request"/> asks for: same SQL (ignoring surrounding white space), pool, catalog, database and parallelism.</summary>
    public bool Matches(StatementRequest request) =>
        string.Equals(Sql.Trim(), request.Sql.Trim(), StringComparison.Ordinal)
        && string.Equals(ComputePool, request.ComputePool, StringComparison.Ordinal)
        && string.Equals(Catalog, request.Catalog, StringComparison.Ordinal)
        && string.Equals(Database, request.Database, StringComparison.Ordinal)
        && (request.Parallelism is null || Parallelism == request.Parallelism);
}

/// <summary>
/// A CMF statement phase as an extensible string value (upper case, as CMF sends it), so a phase a newer CMF adds
/// (2.5 documents RECONCILING and RESTARTING) does not break parsing.
/// </summary>
public readonly record struct StatementPhase(string Value)
{
    /// <summary>Accepted; the Flink job is being deployed.</summary>
    public static readonly StatementPhase Pending = new("PENDING");
    /// <summary>The Flink job runs.</summary>
    public static readonly StatementPhase Running = new("RUNNING");
    /// <summary>A bounded statement (DDL, a bounded SELECT or INSERT) finished.</summary>
    public static readonly StatementPhase Completed = new("COMPLETED");
    /// <summary>Being deleted.</summary>
    public static readonly StatementPhase Deleting = new("DELETING");
    /// <summary>The Flink job is failing; it may recover.</summary>
    public static readonly StatementPhase Failing = new("FAILING");
    /// <summary>Failed: a compile error (synchronously, with <see cref="Statement.Detail"/>) or an execution failure.</summary>
    public static readonly StatementPhase Failed = new("FAILED");
    /// <summary>Stopped with a savepoint (<c>spec.stopped</c> true); resumable.</summary>
    public static readonly StatementPhase Stopped = new("STOPPED");

    /// <summary>Reads CMF's phase case-insensitively (the list filter uses lower case, bodies upper case).</summary>
    public static StatementPhase Parse(string? value) => new(string.IsNullOrWhiteSpace(value) ? "UNKNOWN" : value.Trim().ToUpperInvariant());

    /// <inheritdoc />
    public override string ToString() => Value;
}

/// <summary>One exception of a statement's Flink job (CMF <c>StatementException</c>).</summary>
/// <param name="Name">The exception's name (class).</param>
/// <param name="Message">Its message (first line).</param>
/// <param name="At">When it happened (UTC), if CMF's timestamp could be read.</param>
public sealed record StatementException(string Name, string Message, DateTimeOffset? At);
