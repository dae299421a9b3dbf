using FlinkOpsBot.Slack.Rendering;

namespace FlinkOpsBot.Slack.WebApi;

/// <summary>Arguments of <c>chat.postMessage</c>: a card (blocks with a fallback text) or, with <see cref="ThreadTs"/>, a thread reply.</summary>
internal sealed record PostMessageRequest(string Channel, string Text, IReadOnlyList<Block>? Blocks = null, string? ThreadTs = null);

/// <summary>Arguments of <c>chat.update</c>: replaces the message at <see cref="Ts"/>.</summary>
internal sealed record UpdateMessageRequest(string Channel, string Ts, string Text, IReadOnlyList<Block> Blocks);

/// <summary>The part of a Web API answer the bot reads: <c>{ok, error, channel, ts}</c>.</summary>
internal sealed record WebApiResponse(bool Ok, string? Error = null, string? Channel = null, string? Ts = null);

/// <summary>The answer of <c>usergroups.users.list</c>: <c>{ok, error, users: ["U060R4BJ4", …]}</c>.</summary>
internal sealed record UserGroupUsersResponse(bool Ok, string? Error = null, IReadOnlyList<string>? Users = null);

/// <summary>Where a posted or updated message lives.</summary>
internal sealed record MessageRef(string Channel, string Ts);
