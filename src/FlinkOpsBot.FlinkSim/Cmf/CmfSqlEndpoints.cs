using System.Text.Json.Nodes;

namespace FlinkOpsBot.FlinkSim.Cmf;

/// <summary>
/// CMF's SQL surface (2.0+): Kafka catalogs and their databases (read-only here), an environment's compute pools
/// (read-only here) and statements (create, list, get, PUT to stop/resume/rescale, delete, exceptions). Statements are
/// "compiled" by <see cref="SqlCompiler"/> and move PENDING → RUNNING (unbounded) or COMPLETED (bounded, DDL) on the
/// simulation's clock, as a job would start in <see cref="FlinkSimOptions.JobStartDuration"/>.
/// </summary>
internal static class CmfSqlEndpoints
{
    private const string Statements = "/environments/{envName}/statements";

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/catalogs/kafka", ListCatalogs);
        routes.MapGet("/catalogs/kafka/{catName}", GetCatalog);
        routes.MapGet("/catalogs/kafka/{catName}/databases", ListDatabases);
        routes.MapGet("/catalogs/kafka/{catName}/databases/{dbName}", GetDatabase);
        routes.MapGet("/environments/{envName}/compute-pools", ListComputePools);
        routes.MapGet("/environments/{envName}/compute-pools/{computePoolName}", GetComputePool);
        routes.MapPost(Statements, CreateStatementAsync);
        routes.MapGet(Statements, ListStatements);
        routes.MapGet(Statements + "/{stmtName}", GetStatement);
        routes.MapPut(Statements + "/{stmtName}", PutStatementAsync);
        routes.MapDelete(Statements + "/{stmtName}", DeleteStatement);
        routes.MapGet(Statements + "/{stmtName}/exceptions", GetExceptions);
    }

    private static IResult ListCatalogs(HttpRequest request, SimCluster cluster) => CmfEndpoints.Run(cluster, state =>
        CmfHttp.Page(request, state.Catalogs.Values.Select(cat => (JsonNode)RenderCatalog(state, cat)).ToList()));

    private static IResult GetCatalog(string catName, SimCluster cluster) => CmfEndpoints.Run(cluster, state =>
        state.Catalogs.TryGetValue(catName, out var cat) ? CmfHttp.Json(RenderCatalog(state, cat)) : CatalogNotFound(catName));

    private static IResult ListDatabases(string catName, HttpRequest request, SimCluster cluster) => CmfEndpoints.Run(cluster, state =>
        state.Catalogs.TryGetValue(catName, out var cat)
            ? CmfHttp.Page(request, cat.Databases.Values.Select(db => (JsonNode)RenderDatabase(state, db)).ToList())
            : CatalogNotFound(catName));

    private static IResult GetDatabase(string catName, string dbName, SimCluster cluster) => CmfEndpoints.Run(cluster, state =>
    {
        if (!state.Catalogs.TryGetValue(catName, out var cat)) return CatalogNotFound(catName);
        return cat.Databases.TryGetValue(dbName, out var db)
            ? CmfHttp.Json(RenderDatabase(state, db))
            : CmfHttp.Error(StatusCodes.Status404NotFound, $"Database '{dbName}' not found in Kafka catalog '{catName}'.");
    });

    private static IResult ListComputePools(string envName, HttpRequest request, SimCluster cluster) => CmfEndpoints.Run(cluster, state =>
        state.FindEnvironment(envName, out var env) is { } missing
            ? CmfEndpoints.Refuse(missing)
            : CmfHttp.Page(request, env.ComputePools.Values.Select(pool => (JsonNode)RenderComputePool(pool)).ToList(), "phase"));

    private static IResult GetComputePool(string envName, string computePoolName, SimCluster cluster) => CmfEndpoints.Run(cluster, state =>
    {
        if (state.FindEnvironment(envName, out var env) is { } missing) return CmfEndpoints.Refuse(missing);
        return env.ComputePools.TryGetValue(computePoolName, out var pool)
            ? CmfHttp.Json(RenderComputePool(pool))
            : CmfHttp.Error(StatusCodes.Status404NotFound, $"Compute pool '{computePoolName}' not found in environment '{envName}'.");
    });

    // POST: 404 unknown environment, 409 a statement of that name exists, 422 no SQL or no such compute pool; SQL that
    // does not compile is created FAILED with the compiler's message in status.detail, as CMF does.
    private static async Task<IResult> CreateStatementAsync(string envName, HttpRequest request, SimCluster cluster)
    {
        var (body, error) = await CmfHttp.ReadObjectAsync(request);
        if (error is not null) return error;
        return CmfEndpoints.Run(cluster, state =>
        {
            if (state.FindEnvironment(envName, out var env) is { } missing) return CmfEndpoints.Refuse(missing);
            var name = CmfHttp.String(body, "metadata.name");
            if (CmfNames.Problem("Statement", name) is { } problem) return CmfHttp.Error(StatusCodes.Status422UnprocessableEntity, problem);
            if (env.Statements.ContainsKey(name!))
            {
                return CmfHttp.Error(StatusCodes.Status409Conflict, $"Statement '{name}' already exists in environment '{envName}'.");
            }
            if (body!["spec"] is not JsonObject posted || CmfHttp.String(posted, "statement") is not { Length: > 0 } sql)
            {
                return CmfHttp.Error(StatusCodes.Status422UnprocessableEntity, $"Statement '{name}' needs spec.statement, the SQL to run.");
            }
            if (CmfHttp.String(posted, "computePoolName") is not { } pool || !env.ComputePools.ContainsKey(pool))
            {
                var known = string.Join(", ", env.ComputePools.Keys);
                return CmfHttp.Error(
                    StatusCodes.Status422UnprocessableEntity,
                    $"Statement '{name}' needs spec.computePoolName naming a compute pool of environment '{envName}' (pools: {known}).");
            }

            var spec = (JsonObject)posted.DeepClone();
            spec["parallelism"] = CmfHttp.Int(spec, "parallelism") ?? 1;
            spec["stopped"] = CmfHttp.Bool(spec, "stopped") ?? false;
            var statement = new CmfStatement(env, name!, state.Simulation.Ids.NewUuid(), state.Now)
            {
                Metadata = body["metadata"] is JsonObject metadata ? (JsonObject)metadata.DeepClone() : [],
                Spec = spec,
                Compilation = SqlCompiler.Compile(state, sql, spec["properties"] as JsonObject),
            };
            if (statement.Compilation.Error is null)
            {
                statement.Compilation.Effect?.Invoke();
                if (spec["stopped"]!.GetValue<bool>()) statement.StoppedAt = state.Now;
            }
            env.Statements.Add(name!, statement);
            return CmfHttp.Json(RenderStatement(state, statement));
        });
    }

    // GET list: compute-pool and phase (lower case) filters, as the CLI sends them.
    private static IResult ListStatements(string envName, HttpRequest request, SimCluster cluster) => CmfEndpoints.Run(cluster, state =>
    {
        if (state.FindEnvironment(envName, out var env) is { } missing) return CmfEndpoints.Refuse(missing);
        var pool = request.Query["compute-pool"].FirstOrDefault();
        var phase = request.Query["phase"].FirstOrDefault();
        var items = env.Statements.Values
            .Where(s => pool is null || CmfHttp.String(s.Spec, "computePoolName") == pool)
            .Where(s => phase is null || string.Equals(Phase(state, s), phase, StringComparison.OrdinalIgnoreCase))
            .Select(s => (JsonNode)RenderStatement(state, s))
            .ToList();
        return CmfHttp.Page(request, items, "phase");
    });

    private static IResult GetStatement(string envName, string stmtName, SimCluster cluster) => CmfEndpoints.Run(cluster, state =>
        FindStatement(state, envName, stmtName, out var statement) is { } missing ? missing : CmfHttp.Json(RenderStatement(state, statement)));

    // PUT: the whole statement back with spec.stopped (stop: PENDING/RUNNING → STOPPED; resume: STOPPED → PENDING →
    // RUNNING) and/or spec.parallelism; spec.statement cannot change. Answers 200 with an empty body, as CMF does.
    private static async Task<IResult> PutStatementAsync(string envName, string stmtName, HttpRequest request, SimCluster cluster)
    {
        var (body, error) = await CmfHttp.ReadObjectAsync(request);
        if (error is not null) return error;
        return CmfEndpoints.Run(cluster, state =>
        {
            if (FindStatement(state, envName, stmtName, out var statement) is { } missing) return missing;
            if (CmfHttp.String(body, "metadata.name") is { } name && name != stmtName)
            {
                return CmfHttp.Error(StatusCodes.Status400BadRequest, $"metadata.name '{name}' does not match the statement '{stmtName}' of the path.");
            }
            if (body!["spec"] is not JsonObject spec) return CmfHttp.Error(StatusCodes.Status400BadRequest, "The statement needs its spec.");
            if (CmfHttp.String(spec, "statement") is { } sql && sql != CmfHttp.String(statement.Spec, "statement"))
            {
                return CmfHttp.Error(
                    StatusCodes.Status422UnprocessableEntity,
                    $"spec.statement of '{stmtName}' cannot change; create a new statement (optionally from a savepoint) instead.");
            }

            var phase = Phase(state, statement);
            var stop = CmfHttp.Bool(spec, "stopped");
            var parallelism = CmfHttp.Int(spec, "parallelism");
            if (parallelism is < 1) return CmfHttp.Error(StatusCodes.Status422UnprocessableEntity, "spec.parallelism must be at least 1.");
            if (stop == true && phase is "PENDING" or "RUNNING")
            {
                statement.StoppedAt = state.Now;
            }
            else if (stop == false && phase == "STOPPED")
            {
                statement.StoppedAt = null;
                statement.RunSince = state.Now;
            }
            else if (stop is { } wanted && wanted != (phase == "STOPPED") && phase is not ("COMPLETED" or "FAILED"))
            {
                return CmfHttp.Error(StatusCodes.Status422UnprocessableEntity, $"Statement '{stmtName}' is {phase} and cannot be {(wanted ? "stopped" : "resumed")}.");
            }
            if (parallelism is not null && phase is "COMPLETED" or "FAILED" && parallelism != CmfHttp.Int(statement.Spec, "parallelism"))
            {
                return CmfHttp.Error(StatusCodes.Status422UnprocessableEntity, $"Statement '{stmtName}' is {phase} and cannot be rescaled.");
            }

            var updated = (JsonObject)statement.Spec.DeepClone();
            foreach (var (key, value) in spec) updated[key] = value?.DeepClone();
            updated["stopped"] = statement.StoppedAt is not null;
            updated["parallelism"] = parallelism ?? CmfHttp.Int(statement.Spec, "parallelism") ?? 1;
            statement.Spec = updated;
            statement.Updated = state.Now;
            return Results.Ok();
        });
    }

    private static IResult DeleteStatement(string envName, string stmtName, SimCluster cluster) => CmfEndpoints.Run(cluster, state =>
    {
        if (FindStatement(state, envName, stmtName, out var statement) is { } missing) return missing;
        statement.Environment.Statements.Remove(stmtName);
        return CmfHttp.Empty(StatusCodes.Status204NoContent);
    });

    private static IResult GetExceptions(string envName, string stmtName, SimCluster cluster) => CmfEndpoints.Run(cluster, state =>
    {
        if (FindStatement(state, envName, stmtName, out var statement) is { } missing) return missing;
        var data = statement.Exceptions.Take(10).Select(e => (JsonNode)new JsonObject
        {
            ["apiVersion"] = CmfHttp.ApiVersion,
            ["kind"] = "StatementException",
            ["name"] = e.Name,
            ["message"] = e.Message,
            ["timestamp"] = CmfHttp.Timestamp(e.At),
        });
        return CmfHttp.Json(new JsonObject
        {
            ["apiVersion"] = CmfHttp.ApiVersion,
            ["kind"] = "StatementExceptionList",
            ["data"] = new JsonArray(data.ToArray()),
        });
    });

    private static string Phase(CmfState state, CmfStatement statement) => statement.Phase(state.Now, state.Simulation.Options.JobStartDuration);

    private static IResult? FindStatement(CmfState state, string envName, string stmtName, out CmfStatement statement)
    {
        statement = null!;
        if (state.FindEnvironment(envName, out var env) is { } missing) return CmfEndpoints.Refuse(missing);
        statement = env.Statements.GetValueOrDefault(stmtName)!;
        return statement is null ? CmfHttp.Error(StatusCodes.Status404NotFound, $"Statement '{stmtName}' not found in environment '{envName}'.") : null;
    }

    private static IResult CatalogNotFound(string name) => CmfHttp.Error(StatusCodes.Status404NotFound, $"Kafka catalog '{name}' not found.");

    private static JsonObject RenderStatement(CmfState state, CmfStatement statement)
    {
        var phase = Phase(state, statement);
        var status = new JsonObject { ["phase"] = phase };
        var detail = statement.Compilation.Error ?? statement.Failure ?? phase switch
        {
            "PENDING" => "The statement is being deployed.",
            "RUNNING" => "The statement is running.",
            "COMPLETED" => "The statement has completed.",
            "STOPPED" => "The statement was stopped with a savepoint.",
            _ => null,
        };
        if (detail is not null) status["detail"] = detail;
        status["traits"] = new JsonObject
        {
            ["sqlKind"] = statement.Compilation.SqlKind,
            ["isBounded"] = statement.Compilation.IsBounded,
            ["isAppendOnly"] = true,
        };
        var metadata = CmfHttp.Metadata(statement.Metadata, statement.Name, statement.Uid, statement.Created, statement.Updated);
        return CmfHttp.Resource("Statement", metadata, statement.Spec, status);
    }

    private static JsonObject RenderCatalog(CmfState state, CmfCatalog catalog) => CmfHttp.Resource(
        "KafkaCatalog", Metadata(catalog.Name, catalog.Uid, catalog.Created), catalog.Spec,
        new JsonObject { ["environmentsWithAccess"] = EnvironmentNames(state) });

    private static JsonObject RenderDatabase(CmfState state, CmfDatabase database)
    {
        var spec = (JsonObject)database.Spec.DeepClone();
        if (!CmfEndpoints.AnswersAs22(state)) spec["ddlEnvironments"] = EnvironmentNames(state);
        return CmfHttp.Resource(
            "KafkaDatabase", Metadata(database.Name, database.Uid, database.Created), spec,
            new JsonObject { ["environmentsWithAccess"] = EnvironmentNames(state) });
    }

    private static JsonObject RenderComputePool(CmfComputePool pool) => CmfHttp.Resource(
        "ComputePool", Metadata(pool.Name, pool.Uid, pool.Created), pool.Spec, new JsonObject { ["phase"] = "RUNNING" });

    private static JsonObject Metadata(string name, string uid, DateTimeOffset created) => CmfHttp.Metadata(null, name, uid, created, created);

    private static JsonArray EnvironmentNames(CmfState state) => new(state.Environments.Keys.Select(name => (JsonNode)name).ToArray());
}
