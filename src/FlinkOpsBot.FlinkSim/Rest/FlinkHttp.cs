using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using FlinkOpsBot.FlinkSim.Engine;
using FlinkOpsBot.FlinkSim.Errors;

namespace FlinkOpsBot.FlinkSim.Rest;

/// <summary>Request parsing and responses the way Flink's REST handlers do them.</summary>
internal static class FlinkHttp
{
    /// <summary>A JSON response.</summary>
    public static IResult Json<T>(T body, JsonTypeInfo<T> type, int statusCode = StatusCodes.Status200OK) =>
        Results.Json(body, type, statusCode: statusCode);

    /// <summary>The error body of a refused request: one string, the whole Java stack trace.</summary>
    public static IResult Error(Refusal refusal) => Error(refusal.StatusCode, refusal.Error);

    /// <inheritdoc cref="Error(Refusal)"/>
    public static IResult Error(int statusCode, JavaException error) => Errors(statusCode, error.StackTrace);

    /// <summary>An error body with the given messages.</summary>
    public static IResult Errors(int statusCode, params string[] errors) =>
        Json(new ErrorResponseBody(errors), FlinkJsonContext.Wire.ErrorResponseBody, statusCode);

    /// <summary>
    /// Parses a 32-hex path parameter (job id, trigger id) to lower case; <paramref name="error"/> is Flink's 400
    /// when it does not parse.
    /// </summary>
    public static bool TryParseId(string value, string parameter, out string id, out IResult? error)
    {
        id = value.ToLowerInvariant();
        error = SimIds.IsHex32(value) ? null : Error(StatusCodes.Status400BadRequest, FlinkExceptions.BadPathParameter(parameter, value));
        return error is null;
    }

    /// <summary>
    /// Reads an optional JSON body: an empty body gives <paramref name="empty"/>; a body that does not match gives
    /// Flink's 400 "Request did not match expected format &lt;bodyClass&gt;.". Unknown fields are ignored (Flink 1.20+).
    /// </summary>
    public static async Task<(T? Body, IResult? Error)> ReadBodyAsync<T>(
        HttpRequest request, JsonTypeInfo<T> type, T empty, CancellationToken cancellationToken)
        where T : class
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text)) return (empty, null);
        try
        {
            return (JsonSerializer.Deserialize(text, type) ?? empty, null);
        }
        catch (JsonException exception)
        {
            return (null, Error(StatusCodes.Status400BadRequest, FlinkExceptions.BadRequestBody(typeof(T).Name, exception.Message)));
        }
    }

    /// <summary>Runs <paramref name="respond"/> on the job named by the path, or answers Flink's 400 or 404.</summary>
    public static IResult WithJob(string jobid, SimCluster cluster, Func<Job, DateTimeOffset, IResult> respond)
    {
        if (!TryParseId(jobid, "jobid", out var jobId, out var badId)) return badId!;
        return cluster.Simulation.Sync(sim => sim.JobById(jobId) is { } job
            ? respond(job, sim.Now)
            : Error(StatusCodes.Status404NotFound, FlinkExceptions.JobNotFound(jobId)));
    }

    /// <summary>Epoch milliseconds, Flink's timestamp unit.</summary>
    public static long Millis(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    /// <summary>Milliseconds, Flink's duration unit.</summary>
    public static long Millis(TimeSpan duration) => (long)duration.TotalMilliseconds;
}
