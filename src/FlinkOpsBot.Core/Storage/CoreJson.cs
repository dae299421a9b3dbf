using System.Text.Json;
using System.Text.Json.Serialization;
using FlinkOpsBot.Core.Incidents;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Timeline;

namespace FlinkOpsBot.Core.Storage;

/// <summary>
/// The JSON form of Core's stored values (runs, timeline events and entries, incidents, locks, deployment records), so every store
/// persists the same shape. Enums are written as names; unknown members are ignored when read, so a newer
/// version's runs still load.
/// </summary>
public static class CoreJson
{
    /// <summary>Serializes a run.</summary>
    public static string Serialize(Run run) => JsonSerializer.Serialize(run, CoreJsonContext.Default.Run);

    /// <summary>Deserializes a run.</summary>
    /// <exception cref="JsonException">The text is not a stored run.</exception>
    public static Run DeserializeRun(string json) =>
        JsonSerializer.Deserialize(json, CoreJsonContext.Default.Run) ?? throw new JsonException("A stored run was null.");

    /// <summary>Serializes a timeline event.</summary>
    public static string Serialize(TimelineEvent e) => JsonSerializer.Serialize(e, CoreJsonContext.Default.TimelineEvent);

    /// <summary>Deserializes a timeline event.</summary>
    public static TimelineEvent DeserializeTimelineEvent(string json) =>
        JsonSerializer.Deserialize(json, CoreJsonContext.Default.TimelineEvent) ?? throw new JsonException("A stored timeline event was null.");

    /// <summary>Serializes a job lock.</summary>
    public static string Serialize(JobLock value) => JsonSerializer.Serialize(value, CoreJsonContext.Default.JobLock);

    /// <summary>Deserializes a job lock.</summary>
    public static JobLock DeserializeJobLock(string json) =>
        JsonSerializer.Deserialize(json, CoreJsonContext.Default.JobLock) ?? throw new JsonException("A stored lock was null.");

    /// <summary>Serializes an explicit lock.</summary>
    public static string Serialize(ExplicitLock value) => JsonSerializer.Serialize(value, CoreJsonContext.Default.ExplicitLock);

    /// <summary>Deserializes an explicit lock.</summary>
    public static ExplicitLock DeserializeExplicitLock(string json) =>
        JsonSerializer.Deserialize(json, CoreJsonContext.Default.ExplicitLock) ?? throw new JsonException("A stored explicit lock was null.");

    /// <summary>Serializes a deployment record.</summary>
    public static string Serialize(DeploymentRecord value) => JsonSerializer.Serialize(value, CoreJsonContext.Default.DeploymentRecord);

    /// <summary>Deserializes a deployment record.</summary>
    public static DeploymentRecord DeserializeDeploymentRecord(string json) =>
        JsonSerializer.Deserialize(json, CoreJsonContext.Default.DeploymentRecord) ?? throw new JsonException("A stored deployment record was null.");

    /// <summary>Serializes a card location.</summary>
    public static string Serialize(CardLocation value) => JsonSerializer.Serialize(value, CoreJsonContext.Default.CardLocation);

    /// <summary>Deserializes a card location.</summary>
    public static CardLocation DeserializeCardLocation(string json) =>
        JsonSerializer.Deserialize(json, CoreJsonContext.Default.CardLocation) ?? throw new JsonException("A stored card location was null.");

    /// <summary>Serializes an incident.</summary>
    public static string Serialize(Incident incident) => JsonSerializer.Serialize(incident, CoreJsonContext.Default.Incident);

    /// <summary>Deserializes an incident.</summary>
    /// <exception cref="JsonException">The text is not a stored incident.</exception>
    public static Incident DeserializeIncident(string json) =>
        JsonSerializer.Deserialize(json, CoreJsonContext.Default.Incident) ?? throw new JsonException("A stored incident was null.");

    /// <summary>Serializes a timeline entry (a run's or an incident's, the shape <see cref="TimelineExport"/> writes too).</summary>
    public static string Serialize(TimelineEntry entry) => JsonSerializer.Serialize(entry, CoreJsonContext.Default.TimelineEntry);

    /// <summary>Deserializes a timeline entry.</summary>
    /// <exception cref="JsonException">The text is not a timeline entry.</exception>
    public static TimelineEntry DeserializeTimelineEntry(string json) =>
        JsonSerializer.Deserialize(json, CoreJsonContext.Default.TimelineEntry) ?? throw new JsonException("A stored timeline entry was null.");
}

/// <summary>Writes a <see cref="RunId"/> as its string form.</summary>
internal sealed class RunIdJsonConverter : JsonConverter<RunId>
{
    public override RunId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        RunId.Parse(reader.GetString() ?? "");

    public override void Write(Utf8JsonWriter writer, RunId value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}

/// <summary>Writes an <see cref="IncidentId"/> as its string form.</summary>
internal sealed class IncidentIdJsonConverter : JsonConverter<IncidentId>
{
    public override IncidentId Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        IncidentId.Parse(reader.GetString() ?? "");

    public override void Write(Utf8JsonWriter writer, IncidentId value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value);
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(RunIdJsonConverter), typeof(IncidentIdJsonConverter)])]
[JsonSerializable(typeof(Run))]
[JsonSerializable(typeof(TimelineEvent))]
[JsonSerializable(typeof(JobLock))]
[JsonSerializable(typeof(ExplicitLock))]
[JsonSerializable(typeof(DeploymentRecord))]
[JsonSerializable(typeof(CardLocation))]
[JsonSerializable(typeof(Incident))]
[JsonSerializable(typeof(TimelineEntry))]
[JsonSerializable(typeof(TimelineDocument))]
internal sealed partial class CoreJsonContext : JsonSerializerContext;
