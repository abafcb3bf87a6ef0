"""Adds the Service Quotas calls moto lacks, with AWS's real request and response shapes.

moto 5.x answers only ListAWSDefaultServiceQuotas (VPC, unpaged) and GetServiceQuota. orgnav
also needs ListServices, paged ListAWSDefaultServiceQuotas for ec2/vpc/lambda with their
UsageMetric, and ListServiceQuotas with per-account applied values. Applied values are set the
way a user sets them on AWS: RequestServiceQuotaIncrease (approved at once here). State lives in
this process, keyed by the account moto derives from the caller's access key and the region.
"""

import copy
import json
import os
import uuid
from datetime import datetime, timezone

from moto.servicequotas.exceptions import NoSuchResource
from moto.servicequotas.resources.default_quotas.vpc import VPC_DEFAULT_QUOTAS
from moto.servicequotas.responses import ServiceQuotasResponse

# AWS pages at most 100 items; smaller pages make every test walk NextToken.
PAGE = int(os.environ.get("ORGNAV_MOTO_QUOTA_PAGE", "5"))

SERVICES = {
    "ec2": "Amazon Elastic Compute Cloud (Amazon EC2)",
    "vpc": "Amazon Virtual Private Cloud (Amazon VPC)",
    "lambda": "AWS Lambda",
}


def ec2_vcpu(code, name, klass, value):
    return {
        "ServiceCode": "ec2",
        "QuotaCode": code,
        "QuotaName": name,
        "Value": value,
        "Unit": "None",
        "Adjustable": True,
        "GlobalQuota": False,
        "UsageMetric": {
            "MetricNamespace": "AWS/Usage",
            "MetricName": "ResourceCount",
            "MetricDimensions": {
                "Class": klass,
                "Resource": "vCPU",
                "Service": "EC2",
                "Type": "Resource",
            },
            "MetricStatisticRecommendation": "Maximum",
        },
    }


EC2 = [
    ec2_vcpu(
        "L-1216C47A",
        "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances",
        "Standard/OnDemand",
        1152.0,
    ),
    ec2_vcpu(
        "L-34B43A08",
        "All Standard (A, C, D, H, I, M, R, T, Z) Spot Instance Requests",
        "Standard/Spot",
        1152.0,
    ),
    ec2_vcpu("L-74FC7D96", "Running On-Demand F instances", "F/OnDemand", 128.0),
    ec2_vcpu("L-DB2E81BA", "Running On-Demand G and VT instances", "G/OnDemand", 64.0),
    ec2_vcpu("L-417A185B", "Running On-Demand P instances", "P/OnDemand", 64.0),
    ec2_vcpu("L-7295265B", "Running On-Demand X instances", "X/OnDemand", 128.0),
    {
        "ServiceCode": "ec2",
        "QuotaCode": "L-0263D0A3",
        "QuotaName": "EC2-VPC Elastic IPs",
        "Value": 5.0,
        "Unit": "None",
        "Adjustable": True,
        "GlobalQuota": False,
    },
    {
        "ServiceCode": "ec2",
        "QuotaCode": "L-E3A00192",
        "QuotaName": "AMIs",
        "Value": 50000.0,
        "Unit": "None",
        "Adjustable": False,
        "GlobalQuota": False,
    },
]

LAMBDA = [
    {
        "ServiceCode": "lambda",
        "QuotaCode": "L-B99A9384",
        "QuotaName": "Concurrent executions",
        "Value": 1000.0,
        "Unit": "None",
        "Adjustable": True,
        "GlobalQuota": False,
        "UsageMetric": {
            "MetricNamespace": "AWS/Lambda",
            "MetricName": "ConcurrentExecutions",
            "MetricDimensions": {},
            "MetricStatisticRecommendation": "Maximum",
        },
    },
    {
        "ServiceCode": "lambda",
        "QuotaCode": "L-2ACBD22F",
        "QuotaName": "Function and layer storage",
        "Value": 75.0,
        "Unit": "Gigabytes",
        "Adjustable": True,
        "GlobalQuota": False,
    },
    {
        "ServiceCode": "lambda",
        "QuotaCode": "L-9FEE3D26",
        "QuotaName": "Elastic network interfaces per VPC",
        "Value": 500.0,
        "Unit": "None",
        "Adjustable": True,
        "GlobalQuota": False,
    },
]

# (account, region) -> {(service, code): value}
APPLIED = {}


def defaults(service, region):
    base = {"ec2": EC2, "vpc": VPC_DEFAULT_QUOTAS, "lambda": LAMBDA}.get(service)
    if base is None:
        raise NoSuchResource()
    out = []
    for q in base:
        q = copy.deepcopy(q)
        q["ServiceName"] = SERVICES[service]
        q["QuotaArn"] = f"arn:aws:servicequotas:{region}::{service}/{q['QuotaCode']}"
        out.append(q)
    return out


def page(items, params, key):
    limit = min(int(params.get("MaxResults") or 100), PAGE)
    start = int(params.get("NextToken") or 0)
    body = {key: items[start : start + limit]}
    if start + limit < len(items):
        body["NextToken"] = str(start + limit)
    return json.dumps(body)


def list_services(self):
    params = json.loads(self.body or "{}")
    services = [{"ServiceCode": c, "ServiceName": n} for c, n in SERVICES.items()]
    return page(services, params, "Services")


def list_aws_default_service_quotas(self):
    params = json.loads(self.body or "{}")
    return page(defaults(params.get("ServiceCode"), self.region), params, "Quotas")


def list_service_quotas(self):
    params = json.loads(self.body or "{}")
    service = params.get("ServiceCode")
    applied = APPLIED.get((self.current_account, self.region), {})
    out = []
    for q in defaults(service, self.region):
        value = applied.get((service, q["QuotaCode"]))
        if value is not None:
            q["Value"] = value
            q["QuotaArn"] = q["QuotaArn"].replace(
                f"{self.region}::", f"{self.region}:{self.current_account}:"
            )
            out.append(q)
    return page(out, params, "Quotas")


def request_service_quota_increase(self):
    params = json.loads(self.body or "{}")
    service, code = params.get("ServiceCode"), params.get("QuotaCode")
    desired = float(params.get("DesiredValue"))
    quota = next(
        (q for q in defaults(service, self.region) if q["QuotaCode"] == code), None
    )
    if quota is None:
        raise NoSuchResource()
    APPLIED.setdefault((self.current_account, self.region), {})[(service, code)] = desired
    now = datetime.now(timezone.utc).timestamp()
    return json.dumps(
        {
            "RequestedQuota": {
                "Id": uuid.uuid4().hex,
                "ServiceCode": service,
                "ServiceName": SERVICES[service],
                "QuotaCode": code,
                "QuotaName": quota["QuotaName"],
                "DesiredValue": desired,
                "Status": "APPROVED",
                "Created": now,
                "LastUpdated": now,
                "QuotaArn": quota["QuotaArn"],
                "GlobalQuota": False,
                "Unit": quota["Unit"],
            }
        }
    )


def dimension_lt(self, other):
    return (self.name or "", self.value or "") < (other.name or "", other.value or "")


def install():
    # moto's Dimension.__lt__ compares a value with a name, so GetMetricData matches
    # dimensions only when they were sent in the same order as PutMetricData's.
    from moto.cloudwatch.models import Dimension

    Dimension.__lt__ = dimension_lt
    ServiceQuotasResponse.list_services = list_services
    ServiceQuotasResponse.list_aws_default_service_quotas = list_aws_default_service_quotas
    ServiceQuotasResponse.list_service_quotas = list_service_quotas
    ServiceQuotasResponse.request_service_quota_increase = request_service_quota_increase
