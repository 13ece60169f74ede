import pytest
from django.test import Client


@pytest.fixture
def cm_client(cluster_manager):
    client = Client()
    client.force_login(cluster_manager)
    return client


@pytest.fixture
def pm_client(project_manager):
    client = Client()
    client.force_login(project_manager)
    return client


@pytest.fixture
def a_client(company_user_a):
    client = Client()
    client.force_login(company_user_a)
    return client


@pytest.fixture
def b_client(company_user_b):
    client = Client()
    client.force_login(company_user_b)
    return client
