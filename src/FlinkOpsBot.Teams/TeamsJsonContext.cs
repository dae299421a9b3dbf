using System.Text.Json.Serialization;
using FlinkOpsBot.Teams.Activities;
using FlinkOpsBot.Teams.Connector;

namespace FlinkOpsBot.Teams;

/// <summary>Source-generated JSON for every Bot Framework wire type; the Bot Framework's names are camelCase.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    PropertyNameCaseInsensitive = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    MaxDepth = 64)]
[JsonSerializable(typeof(Activity))]
[JsonSerializable(typeof(AdaptiveCardInvokeResponse))]
[JsonSerializable(typeof(OutboundActivity))]
[JsonSerializable(typeof(ResourceResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(TeamsChannelAccount))]
[JsonSerializable(typeof(Groups.CheckMemberGroupsRequest))]
[JsonSerializable(typeof(Groups.CheckMemberGroupsResponse))]
[JsonSerializable(typeof(Groups.GraphErrorResponse))]
internal sealed partial class TeamsJsonContext : JsonSerializerContext;
