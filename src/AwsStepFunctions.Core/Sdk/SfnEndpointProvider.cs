using System;
using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using static Amazon.Runtime.Internal.Endpoints.StandardLibrary.Fn;

namespace AwsStepFunctions.Core.Sdk
{
    internal sealed class SfnEndpointParameters : EndpointParameters
    {
        public SfnEndpointParameters()
        {
            UseDualStack = false;
            UseFIPS = false;
        }

        public string? Region { get => (string?)this["Region"]; set => this["Region"] = value; }
        public bool? UseDualStack { get => (bool?)this["UseDualStack"]; set => this["UseDualStack"] = value; }
        public bool? UseFIPS { get => (bool?)this["UseFIPS"]; set => this["UseFIPS"] = value; }
        public string? Endpoint { get => (string?)this["Endpoint"]; set => this["Endpoint"] = value; }

        public static SfnEndpointParameters From(IClientConfig config) => new SfnEndpointParameters
        {
            // With a custom ServiceURL the SDK clears RegionEndpoint; the signing region carries the region then.
            Region = config.RegionEndpoint?.SystemName ?? config.AuthenticationRegion,
            UseDualStack = config.UseDualstackEndpoint,
            UseFIPS = config.UseFIPSEndpoint,
            Endpoint = string.IsNullOrEmpty(config.ServiceURL) ? null : config.ServiceURL,
        };
    }

    /// <summary>
    /// The service's endpoint rule set (states-2016-11-23) expressed with Core's partition functions:
    /// custom endpoint, FIPS, dual-stack, and the partition's DNS suffix (amazonaws.com, amazonaws.com.cn, ...).
    /// </summary>
    internal sealed class SfnEndpointProvider : IEndpointProvider
    {
        /// <summary>
        /// The last resolution, reused while the parameters stay the same: a client's config does not change, so every
        /// request of a cached client resolves to the same endpoint, and the rules (partition lookup, string building)
        /// were a measurable part of a warm call. Replaced as a whole, so readers on other threads see a consistent pair.
        /// </summary>
        private sealed class Resolution
        {
            public Resolution(string? region, bool useFips, bool useDualStack, string? endpoint, Endpoint result)
            {
                Region = region; UseFips = useFips; UseDualStack = useDualStack; CustomEndpoint = endpoint; Result = result;
            }

            public readonly string? Region;
            public readonly bool UseFips;
            public readonly bool UseDualStack;
            public readonly string? CustomEndpoint;
            public readonly Endpoint Result;
        }

        private Resolution? _last;

        /// <summary>The last region asked about and its partition: ARN validation runs twice on every start, and a session
        /// rarely uses more than one region. An immutable object, replaced whole, so another thread never sees half a pair.</summary>
        private static Tuple<string, string>? _lastPartition;

        /// <summary>The partition a region belongs to (aws, aws-cn, aws-us-gov, aws-iso-b, aws-eusc...), from the SDK's partition
        /// table: known regions by name, others by the partitions' region patterns, else aws.</summary>
        internal static string PartitionOf(string region)
        {
            if (_lastPartition is { } last && last.Item1 == region) return last.Item2;
            var name = Partition(region) is { } partition && GetAttr(partition, "name") is string found ? found : "aws";
            _lastPartition = Tuple.Create(region, name);
            return name;
        }

        public Endpoint ResolveEndpoint(EndpointParameters parameters)
        {
            var last = _last;
            var region0 = parameters["Region"] as string;
            var fips0 = Equals(parameters["UseFIPS"], true);
            var dualStack0 = Equals(parameters["UseDualStack"], true);
            var endpoint0 = parameters["Endpoint"] as string;
            if (last != null && last.Region == region0 && last.UseFips == fips0 && last.UseDualStack == dualStack0 && last.CustomEndpoint == endpoint0)
                return last.Result;
            var result = Resolve(parameters);
            _last = new Resolution(region0, fips0, dualStack0, endpoint0, result);
            return result;
        }

        private static Endpoint Resolve(EndpointParameters parameters)
        {
            var region = parameters["Region"] as string;
            if (string.IsNullOrEmpty(region))
                throw new AmazonClientException("Region parameter must be set for endpoint resolution");
            var useFips = Equals(parameters["UseFIPS"], true);
            var useDualStack = Equals(parameters["UseDualStack"], true);
            var endpoint = parameters["Endpoint"] as string;

            var partition = Partition(region!);
            if (partition == null)
                throw new AmazonClientException("Cannot resolve endpoint");

            if (!string.IsNullOrEmpty(endpoint))
            {
                if (useFips) throw new AmazonClientException("Invalid Configuration: FIPS and custom endpoint are not supported");
                if (useDualStack) throw new AmazonClientException("Invalid Configuration: Dualstack and custom endpoint are not supported");
                return new Endpoint(endpoint!);
            }

            var supportsFips = Equals(true, GetAttr(partition, "supportsFIPS"));
            var supportsDualStack = Equals(true, GetAttr(partition, "supportsDualStack"));
            var dnsSuffix = (string)GetAttr(partition, "dnsSuffix");
            var dualStackDnsSuffix = (string)GetAttr(partition, "dualStackDnsSuffix");

            if (useFips && useDualStack)
            {
                if (supportsFips && supportsDualStack)
                    return new Endpoint($"https://states-fips.{region}.{dualStackDnsSuffix}");
                throw new AmazonClientException("FIPS and DualStack are enabled, but this partition does not support one or both");
            }
            if (useFips)
            {
                if (!supportsFips) throw new AmazonClientException("FIPS is enabled but this partition does not support FIPS");
                // The rule set keeps the historical GovCloud West host, which is FIPS-validated already.
                if (region == "us-gov-west-1") return new Endpoint("https://states.us-gov-west-1.amazonaws.com");
                return new Endpoint($"https://states-fips.{region}.{dnsSuffix}");
            }
            if (useDualStack)
            {
                if (!supportsDualStack) throw new AmazonClientException("DualStack is enabled but this partition does not support DualStack");
                return new Endpoint($"https://states.{region}.{dualStackDnsSuffix}");
            }
            return new Endpoint($"https://states.{region}.{dnsSuffix}");
        }
    }
}
