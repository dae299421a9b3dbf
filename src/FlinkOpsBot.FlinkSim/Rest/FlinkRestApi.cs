using FlinkOpsBot.FlinkSim.Errors;
using FlinkOpsBot.FlinkSim.Rest.Checkpoints;
using FlinkOpsBot.FlinkSim.Rest.Cluster;
using FlinkOpsBot.FlinkSim.Rest.Jars;
using FlinkOpsBot.FlinkSim.Rest.Jobs;
using FlinkOpsBot.FlinkSim.Rest.Savepoints;

namespace FlinkOpsBot.FlinkSim.Rest;

/// <summary>
/// Flink's REST API v1 over a <see cref="SimCluster"/>: every route under both <c>/</c> and <c>/v1/</c>, Flink's 404
/// for unknown routes, armed request failures, and the log of mutating calls.
/// </summary>
internal static class FlinkRestApi
{
    public static void MapFlinkRest(this WebApplication app)
    {
        app.UseRouting();
        app.Use(FailOrRecordAsync);
        foreach (var routes in new IEndpointRouteBuilder[] { app, app.MapGroup("/v1") })
        {
            ClusterEndpoints.Map(routes);
            JobEndpoints.Map(routes);
            CheckpointEndpoints.Map(routes);
            SavepointEndpoints.Map(routes);
            JarEndpoints.Map(routes);
        }
        app.MapFallback((HttpRequest request) =>
            FlinkHttp.Errors(StatusCodes.Status404NotFound, $"Not found: {request.Path}{request.QueryString}"));
    }

    private static async Task FailOrRecordAsync(HttpContext context, RequestDelegate next)
    {
        var simulation = context.RequestServices.GetRequiredService<SimCluster>().Simulation;
        var method = context.Request.Method;
        var call = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) ? null : new SimCallFeature();
        if (call is not null) context.Features.Set(call);

        if (simulation.Sync(sim => sim.Faults.TakeRequestFailure()) is { } status)
        {
            var failure = status == StatusCodes.Status503ServiceUnavailable
                ? FlinkHttp.Errors(status, FlinkExceptions.LeaderElection)
                : FlinkHttp.Errors(status, "Internal server error.", FlinkExceptions.InternalServerError());
            await failure.ExecuteAsync(context);
        }
        else
        {
            await next(context);
        }

        if (call is null) return;
        var path = context.Request.Path.StartsWithSegments("/v1", out var unversioned) ? unversioned : context.Request.Path;
        var jobId = call.JobId ?? (context.GetRouteValue("jobid") as string)?.ToLowerInvariant();
        simulation.Sync(sim => sim.RecordCall(method, path.Value ?? "/", jobId, call.IdempotencyKey, context.Response.StatusCode));
    }
}

/// <summary>What a mutating handler tells the call log beyond the request itself.</summary>
internal sealed class SimCallFeature
{
    /// <summary>The job acted on, when the path does not name it (a jar run names the job it started).</summary>
    public string? JobId { get; set; }

    /// <summary>The trigger id or job id the client sent to make a retry safe.</summary>
    public string? IdempotencyKey { get; set; }
}
