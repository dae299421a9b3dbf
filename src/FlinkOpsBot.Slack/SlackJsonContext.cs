using System.Text.Json.Serialization;
using FlinkOpsBot.Slack.Interactions;
using FlinkOpsBot.Slack.WebApi;

namespace FlinkOpsBot.Slack;

/// <summary>Source-generated JSON for every Slack wire type; Slack's names are snake_case.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PostMessageRequest))]
[JsonSerializable(typeof(UpdateMessageRequest))]
[JsonSerializable(typeof(WebApiResponse))]
[JsonSerializable(typeof(UserGroupUsersResponse))]
[JsonSerializable(typeof(ResponseMessage))]
[JsonSerializable(typeof(InteractionPayload))]
[JsonSerializable(typeof(Files.UploadUrlResponse))]
[JsonSerializable(typeof(Files.CompleteUploadRequest))]
internal sealed partial class SlackJsonContext : JsonSerializerContext;
