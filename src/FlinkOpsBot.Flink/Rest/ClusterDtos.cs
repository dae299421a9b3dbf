using System.Text.Json.Serialization;

namespace FlinkOpsBot.Flink.Rest;

// Wire shapes of Flink REST v1, named exactly as Flink writes them (see flink-rest-api.md §3, §7, §1.1).
// Fields every supported version sends have no default, so a missing one fails the read;
// fields that come and go between versions default to null.

/// <summary><c>GET /overview</c>.</summary>
internal sealed record ClusterOverviewDto(
    [property: JsonPropertyName("flink-version")] string FlinkVersion,
    [property: JsonPropertyName("taskmanagers")] int TaskManagers,
    [property: JsonPropertyName("slots-total")] int SlotsTotal,
    [property: JsonPropertyName("slots-available")] int SlotsAvailable);

/// <summary>One entry of <c>GET /jobmanager/config</c> (a top-level array).</summary>
internal sealed record ConfigEntryDto(
    [property: JsonPropertyName("key")] string Key,
    [property: JsonPropertyName("value")] string? Value = null);

/// <summary><c>GET /jars</c>.</summary>
internal sealed record JarListDto(
    [property: JsonPropertyName("files")] IReadOnlyList<JarFileDto> Files);

/// <summary>One jar of <c>GET /jars</c>; <c>uploaded</c> is epoch milliseconds.</summary>
internal sealed record JarFileDto(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("uploaded")] long Uploaded);

/// <summary>Body of <c>POST /jars/:jarid/run</c> (camelCase on this endpoint); <c>flinkConfiguration</c> since Flink 1.17.</summary>
internal sealed record JarRunRequestDto(
    [property: JsonPropertyName("jobId")] string JobId,
    [property: JsonPropertyName("parallelism")] int? Parallelism,
    [property: JsonPropertyName("savepointPath")] string? SavepointPath,
    [property: JsonPropertyName("allowNonRestoredState")] bool AllowNonRestoredState,
    [property: JsonPropertyName("programArgsList")] IReadOnlyList<string>? ProgramArgsList,
    [property: JsonPropertyName("flinkConfiguration")] IReadOnlyDictionary<string, string>? FlinkConfiguration = null);

/// <summary>Answer of <c>POST /jars/:jarid/run</c>.</summary>
internal sealed record JarRunResponseDto(
    [property: JsonPropertyName("jobid")] string JobId);

/// <summary>Flink's error body, <c>{"errors": [...]}</c>; <c>errors[0]</c> often carries a whole Java stack trace.</summary>
internal sealed record ErrorResponseDto(
    [property: JsonPropertyName("errors")] IReadOnlyList<string>? Errors = null);
