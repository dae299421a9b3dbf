using System.Text;
using FlinkOpsBot.FlinkSim.Engine;
using FlinkOpsBot.FlinkSim.Errors;

namespace FlinkOpsBot.FlinkSim.Rest.Savepoints;

/// <summary>POST /jobs/:jobid/savepoints, POST /jobs/:jobid/stop, GET /jobs/:jobid/savepoints/:triggerid.</summary>
internal static class SavepointEndpoints
{
    private static readonly SavepointTriggerRequestBody EmptySavepointBody = new(null, null, null, null);
    private static readonly StopWithSavepointRequestBody EmptyStopBody = new(null, null, null, null);

    // The stream header of a Java-serialized object, which Flink's serialized-throwable starts with.
    private static readonly byte[] JavaSerializationMagic = [0xAC, 0xED, 0x00, 0x05];

    public static void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/jobs/{jobid}/savepoints", TriggerSavepointAsync);
        routes.MapPost("/jobs/{jobid}/stop", TriggerStopAsync);
        routes.MapGet("/jobs/{jobid}/savepoints/{triggerid}", GetStatus);
    }

    private static async Task<IResult> TriggerSavepointAsync(string jobid, HttpContext context, SimCluster cluster, CancellationToken cancellationToken)
    {
        var (body, badBody) = await FlinkHttp.ReadBodyAsync(
            context.Request, FlinkJsonContext.Wire.SavepointTriggerRequestBody, EmptySavepointBody, cancellationToken);
        if (badBody is not null) return badBody;
        return Trigger(jobid, context, cluster, nameof(SavepointTriggerRequestBody), body!.TriggerId, body.FormatType, triggerId =>
            new SavepointRequest(SavepointOperationKind.Savepoint, body.TargetDirectory, body.FormatType ?? "CANONICAL", body.CancelJob ?? false, triggerId));
    }

    private static async Task<IResult> TriggerStopAsync(string jobid, HttpContext context, SimCluster cluster, CancellationToken cancellationToken)
    {
        var (body, badBody) = await FlinkHttp.ReadBodyAsync(
            context.Request, FlinkJsonContext.Wire.StopWithSavepointRequestBody, EmptyStopBody, cancellationToken);
        if (badBody is not null) return badBody;
        return Trigger(jobid, context, cluster, nameof(StopWithSavepointRequestBody), body!.TriggerId, body.FormatType, triggerId =>
            new SavepointRequest(SavepointOperationKind.Stop, body.TargetDirectory, body.FormatType ?? "CANONICAL", CancelJob: false, triggerId));
    }

    private static IResult Trigger(
        string jobid, HttpContext context, SimCluster cluster, string bodyClass, string? triggerId, string? formatType,
        Func<string?, SavepointRequest> request)
    {
        if (!FlinkHttp.TryParseId(jobid, "jobid", out var jobId, out var badId)) return badId!;
        if (triggerId is not null && !SimIds.IsHex32(triggerId))
        {
            return FlinkHttp.Error(StatusCodes.Status400BadRequest, FlinkExceptions.BadRequestBody(bodyClass, $"Cannot deserialize TriggerId from \"{triggerId}\"."));
        }
        if (formatType is not (null or "CANONICAL" or "NATIVE"))
        {
            return FlinkHttp.Error(StatusCodes.Status400BadRequest, FlinkExceptions.BadRequestBody(
                bodyClass, $"Cannot deserialize SavepointFormatType from \"{formatType}\": not one of [CANONICAL, NATIVE]."));
        }

        var normalizedTriggerId = triggerId?.ToLowerInvariant();
        context.Features.Get<SimCallFeature>()!.IdempotencyKey = normalizedTriggerId;
        var result = cluster.Simulation.Sync(sim => sim.TriggerSavepoint(jobId, request(normalizedTriggerId)));
        return result.Refusal is { } refusal
            ? FlinkHttp.Error(refusal)
            : FlinkHttp.Json(new TriggerResponse(result.Value!.TriggerId), FlinkJsonContext.Wire.TriggerResponse, StatusCodes.Status202Accepted);
    }

    private static IResult GetStatus(string jobid, string triggerid, SimCluster cluster)
    {
        if (!FlinkHttp.TryParseId(jobid, "jobid", out var jobId, out var badJobId)) return badJobId!;
        if (!FlinkHttp.TryParseId(triggerid, "triggerid", out var triggerId, out var badTriggerId)) return badTriggerId!;
        var result = cluster.Simulation.Sync(sim => sim.SavepointStatus(jobId, triggerId));
        if (result.Refusal is { } refusal) return FlinkHttp.Error(refusal);

        var operation = result.Value!;
        var body = operation.CompletedAt is null
            ? new AsynchronousOperationResult(new QueueStatus("IN_PROGRESS"), null)
            : new AsynchronousOperationResult(new QueueStatus("COMPLETED"), new SavepointInfo(operation.Location, Serialize(operation.Failure)));
        return FlinkHttp.Json(body, FlinkJsonContext.Wire.AsynchronousOperationResult);
    }

    private static SerializedThrowable? Serialize(JavaException? failure)
    {
        if (failure is null) return null;
        var serialized = JavaSerializationMagic.Concat(Encoding.UTF8.GetBytes(failure.StackTrace)).ToArray();
        return new SerializedThrowable(failure.ClassName, failure.StackTrace, Convert.ToBase64String(serialized));
    }
}
