using System.Text.Json;
using System.Text.Json.Serialization;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Core.Timeline;

namespace FlinkOpsBot.Core.Incidents;

/// <summary>
/// The stored JSON form of incidents and of timeline entries (the shape <see cref="TimelineExport"/> writes too), with
/// the same conventions as <see cref="CoreJson"/>: camelCase, enums as names, nulls left out, unknown members ignored.
/// </summary>
public static class IncidentJson
{
    /// <summary>Serializes an incident.</summary>
    public static string Serialize(Incident incident) => JsonSerializer.Serialize(incident, IncidentJsonContext.Default.Incident);

    /// <summary>Deserializes an incident.</summary>
    /// <exception cref="JsonException">The text is not a stored incident.</exception>
    public static Incident DeserializeIncident(string json) =>
        JsonSerializer.Deserialize(json, IncidentJsonContext.Default.Incident) ?? throw new JsonException("A stored incident was null.");

    /// <summary>Serializes a timeline entry.</summary>
    public static string Serialize(TimelineEntry entry) => JsonSerializer.Serialize(entry, IncidentJsonContext.Default.TimelineEntry);

    /// <summary>Deserializes a timeline entry.</summary>
    /// <exception cref="JsonException">The text is not a timeline entry.</exception>
    public static TimelineEntry DeserializeEntry(string json) =>
        JsonSerializer.Deserialize(json, IncidentJsonContext.Default.TimelineEntry) ?? throw new JsonException("A stored timeline entry was null.");
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
[JsonSerializable(typeof(Incident))]
[JsonSerializable(typeof(TimelineEntry))]
[JsonSerializable(typeof(TimelineDocument))]
internal sealed partial class IncidentJsonContext : JsonSerializerContext;
