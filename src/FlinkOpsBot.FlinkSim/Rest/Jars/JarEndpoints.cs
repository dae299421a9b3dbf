using System.Globalization;
using FlinkOpsBot.FlinkSim.Engine;
using FlinkOpsBot.FlinkSim.Errors;
using FlinkOpsBot.FlinkSim.Rest.Jobs;

namespace FlinkOpsBot.FlinkSim.Rest.Jars;

/// <summary>GET /jars and POST /jars/:jarid/run.</summary>
internal static class JarEndpoints
{
    private static readonly JarRunRequestBody EmptyBody = new(null, null, null, null, null, null, null, null, null);

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/jars", GetJars);
        routes.MapPost("/jars/{jarid}/run", RunAsync);
        routes.MapPost("/jars/{jarid}/plan", PlanAsync);
    }

    /// <summary>
    /// POST /jars/:jarid/plan: the job graph the jar's program would build, without running it. Vertex ids derive from the
    /// program and its operators' uids (<see cref="JobGraph.Plan"/>), so compatible versions share them.
    /// </summary>
    private static async Task<IResult> PlanAsync(string jarid, HttpContext context, SimCluster cluster, CancellationToken cancellationToken)
    {
        var (body, badBody) = await FlinkHttp.ReadBodyAsync(
            context.Request, FlinkJsonContext.Wire.JarPlanRequestBody, new JarPlanRequestBody(null, null, null, null, null), cancellationToken);
        if (badBody is not null) return badBody;
        var parallelism = body!.Parallelism;
        if (parallelism is null && context.Request.Query["parallelism"].FirstOrDefault() is { } text)
        {
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < 1)
            {
                return FlinkHttp.Error(StatusCodes.Status400BadRequest, FlinkExceptions.BadQueryParameter("parallelism", text));
            }
            parallelism = parsed;
        }
        if (parallelism is < 1) return FlinkHttp.Error(StatusCodes.Status400BadRequest, FlinkExceptions.BadRequestBody(nameof(JarPlanRequestBody), $"parallelism must be positive, not {parallelism}."));

        return cluster.Simulation.Sync(sim =>
        {
            if (sim.FindJar(jarid) is not { } jar) return FlinkHttp.Error(StatusCodes.Status400BadRequest, FlinkExceptions.JarNotFound(jarid));
            var vertices = JobGraph.Plan(jar, parallelism ?? Simulation.DefaultParallelism);
            var plan = new JobPlan(
                SimIds.StableHex32($"{jar.Id}/plan"), jar.JobName, "STREAMING",
                vertices.Select((vertex, index) => new PlanNode(
                    vertex.Id, vertex.Parallelism, "", "", vertex.Name,
                    index == 0 ? null : [new PlanInput(0, vertices[index - 1].Id, index == 1 ? "HASH" : "FORWARD", "pipelined_bounded")],
                    new Dictionary<string, string>())).ToList());
            return FlinkHttp.Json(new JarPlanResponseBody(plan), FlinkJsonContext.Wire.JarPlanResponseBody);
        });
    }

    private static IResult GetJars(HttpRequest request, SimCluster cluster) => cluster.Simulation.Sync(sim => FlinkHttp.Json(
        new JarListInfo(
            $"{request.Scheme}://{request.Host}",
            sim.Jars.Reverse().Select(jar => new JarFileInfo(
                jar.Id, jar.FileName, FlinkHttp.Millis(jar.Uploaded), [new JarEntryInfo(jar.EntryClass, null)])).ToList()),
        FlinkJsonContext.Wire.JarListInfo));

    private static async Task<IResult> RunAsync(string jarid, HttpContext context, SimCluster cluster, CancellationToken cancellationToken)
    {
        var (body, badBody) = await FlinkHttp.ReadBodyAsync(
            context.Request, FlinkJsonContext.Wire.JarRunRequestBody, EmptyBody, cancellationToken);
        if (badBody is not null) return badBody;
        var (run, badRequest) = Parse(body!, context.Request.Query);
        if (badRequest is not null) return badRequest;

        var call = context.Features.Get<SimCallFeature>()!;
        call.IdempotencyKey = run!.JobId;
        var result = cluster.Simulation.Sync(sim => sim.RunJar(jarid, run));
        if (result.Refusal is { } refusal) return FlinkHttp.Error(refusal);
        call.JobId = result.Value!.JobId;
        return FlinkHttp.Json(new JarRunResponseBody(result.Value.JobId), FlinkJsonContext.Wire.JarRunResponseBody);
    }

    /// <summary>Merges the body and the query parameters; a body field wins over its query parameter.</summary>
    private static (JobRunRequest? Run, IResult? Error) Parse(JarRunRequestBody body, IQueryCollection query)
    {
        if (body.JobId is { } jobId && !SimIds.IsHex32(jobId))
        {
            return BadBody($"Cannot deserialize JobID from \"{jobId}\".");
        }
        if (!IsClaimMode(body.ClaimMode) || !IsClaimMode(body.RestoreMode))
        {
            return BadBody("Cannot deserialize RecoveryClaimMode: not one of [CLAIM, NO_CLAIM, LEGACY].");
        }

        var parallelism = body.Parallelism;
        if (parallelism is null && query["parallelism"].FirstOrDefault() is { } parallelismText)
        {
            if (!int.TryParse(parallelismText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < 1)
            {
                return BadQuery("parallelism", parallelismText);
            }
            parallelism = parsed;
        }

        var allowNonRestoredState = body.AllowNonRestoredState;
        if (allowNonRestoredState is null && query["allowNonRestoredState"].FirstOrDefault() is { } allowText)
        {
            if (!bool.TryParse(allowText, out var parsed)) return BadQuery("allowNonRestoredState", allowText);
            allowNonRestoredState = parsed;
        }

        var programArgs = body.ProgramArgsList
            ?? query["programArg"].SelectMany(value => value!.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToList();
        var savepointPath = NullIfEmpty(body.SavepointPath) ?? NullIfEmpty(query["savepointPath"].FirstOrDefault());
        return (new JobRunRequest(
            parallelism, programArgs, body.JobId?.ToLowerInvariant(), savepointPath, allowNonRestoredState ?? false,
            body.ClaimMode ?? body.RestoreMode, NullIfEmpty(body.FlinkConfiguration?.GetValueOrDefault("pipeline.name"))), null);
    }

    private static bool IsClaimMode(string? mode) => mode is null or "CLAIM" or "NO_CLAIM" or "LEGACY";

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static (JobRunRequest?, IResult?) BadBody(string detail) =>
        (null, FlinkHttp.Error(StatusCodes.Status400BadRequest, FlinkExceptions.BadRequestBody(nameof(JarRunRequestBody), detail)));

    private static (JobRunRequest?, IResult?) BadQuery(string parameter, string value) =>
        (null, FlinkHttp.Error(StatusCodes.Status400BadRequest, FlinkExceptions.BadQueryParameter(parameter, value)));
}
